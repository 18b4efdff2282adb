// Sampling-field descriptions as tao-inferd's DescribeArchitectures gives
// them, for the CLI tests. The values are those of the shipped
// config/architectures.yaml; the CLI itself only ever sees them over the API.
#ifndef TAO_TESTS_CLIENT_CLI_DESCRIBED_SCHEMA_H_
#define TAO_TESTS_CLIENT_CLI_DESCRIBED_SCHEMA_H_

#include <optional>
#include <string>

#include "client/cli/sampling_fields.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli::testing {

struct Range {
  std::optional<double> min;
  std::optional<double> max;
  bool min_exclusive = false;
};

inline tao::inference::v1::SamplingFieldDescription Field(
    const std::string& name, std::optional<std::string> default_value,
    Range range = {}, const std::string& description = "about it") {
  tao::inference::v1::SamplingFieldDescription field;
  field.set_name(name);
  if (default_value) field.set_default_value(*default_value);
  if (range.min) {
    field.mutable_min()->set_value(*range.min);
    field.mutable_min()->set_exclusive(range.min_exclusive);
  }
  if (range.max) field.mutable_max()->set_value(*range.max);
  field.set_description(description);
  return field;
}

// cosmos-rl or cosmos-predict2.5 (anything else).
inline SamplingFields Schema(const std::string& arch) {
  if (arch == "cosmos-rl") {
    return {Field("max_tokens", "1024", {1, std::nullopt}),
            Field("temperature", "0.7", {0, 2}),
            Field("top_p", "0.8", {0, 1, /*min_exclusive=*/true})};
  }
  return {Field("max_tokens", "77", {1, std::nullopt}),
          Field("guidance", "7", {0, 7}), Field("num_steps", "35", {1, {}}),
          Field("seed", "0", {0, std::nullopt}),
          Field("negative_prompt", std::nullopt)};
}

// Both architectures, as the DescribeArchitectures answer.
inline tao::inference::v1::DescribeArchitecturesResponse Described() {
  tao::inference::v1::DescribeArchitecturesResponse response;
  for (const char* name : {"cosmos-predict2.5", "cosmos-rl"}) {
    auto* arch = response.add_architectures();
    arch->set_network_arch(name);
    for (const auto& field : Schema(name)) *arch->add_sampling_fields() = field;
  }
  return response;
}

}  // namespace tao::cli::testing

#endif  // TAO_TESTS_CLIENT_CLI_DESCRIBED_SCHEMA_H_
