// Which sampling fields apply to which architecture, with the defaults the
// CLI shows when it asks for them, and typed access to SamplingParams by
// field name.
//
// The CLI has no catalog of its own: this table mirrors
// config/architectures.yaml of the server (spec §8, §8.1, §8.2). The server
// stays the authority: fields left unset are filled by the server, which
// echoes the values it applied.
#ifndef TAO_CLIENT_CLI_SAMPLING_FIELDS_H_
#define TAO_CLIENT_CLI_SAMPLING_FIELDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

struct SamplingField {
  std::string name;          // SamplingParams field, e.g. "max_tokens"
  std::string default_text;  // as shown; empty: not sent unless given
  std::string description;
  std::optional<double> min;  // inclusive range, checked on typed answers
  std::optional<double> max;
};

// The fields that apply to `network_arch`, in prompt order; nullptr for an
// architecture the CLI does not know (then nothing is asked).
const std::vector<SamplingField>* SamplingFieldsFor(
    absl::string_view network_arch);

// "--max-tokens" for "max_tokens".
std::string FlagForField(absl::string_view field_name);

// Every SamplingParams field name, in declaration order.
std::vector<std::string> AllSamplingFieldNames();

// Parses `text` as the type of `field_name` and sets it. INVALID_ARGUMENT
// naming the flag when the text is not a valid value (or the field is
// unknown).
absl::Status SetSamplingField(tao::inference::v1::SamplingParams* params,
                              absl::string_view field_name,
                              absl::string_view text);

bool HasSamplingField(const tao::inference::v1::SamplingParams& params,
                      absl::string_view field_name);

// The value of a set field as text ("0.7", "1024"); "" when unset.
std::string SamplingFieldText(const tao::inference::v1::SamplingParams& params,
                              absl::string_view field_name);

// The names of the fields set in `params`, in declaration order.
std::vector<std::string> SetSamplingFieldNames(
    const tao::inference::v1::SamplingParams& params);

// OK when every field set in `params` is in `fields`; otherwise
// INVALID_ARGUMENT naming the flag that does not apply to `network_arch` and
// the flags that do.
absl::Status CheckFieldsApply(const tao::inference::v1::SamplingParams& params,
                              absl::string_view network_arch,
                              const std::vector<SamplingField>& fields);

// "  --max-tokens N   (default 1024)" lines, one per field, for messages
// that tell a user or script what to pass.
std::string DescribeFields(const std::vector<SamplingField>& fields);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_SAMPLING_FIELDS_H_
