// Typed access to SamplingParams by field name, and checks and help text for
// the sampling fields an architecture accepts. Which fields apply, with
// their defaults and bounds, comes from tao-inferd (DescribeArchitectures):
// the CLI keeps no copy of the server's catalog.
#ifndef TAO_CLIENT_CLI_SAMPLING_FIELDS_H_
#define TAO_CLIENT_CLI_SAMPLING_FIELDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

// One architecture's fields as the server describes them, in prompt order.
using SamplingFields =
    std::vector<tao::inference::v1::SamplingFieldDescription>;

// "--max-tokens" for "max_tokens".
std::string FlagForField(absl::string_view field_name);

// Every SamplingParams field name, in declaration order.
std::vector<std::string> AllSamplingFieldNames();

// "--max-tokens N", "--top-p X", ...: every sampling flag, for help text.
std::vector<std::string> AllSamplingFlags();

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

// The default as shown ("0.7"); "" for a field sent only when given.
std::string DefaultText(const tao::inference::v1::SamplingFieldDescription& f);

// What `field` accepts, to follow "must be": "in (0, 1]", "at least 1",
// "one of a, b"; "" when anything of its type goes.
std::string AcceptedValues(
    const tao::inference::v1::SamplingFieldDescription& field);

// "" when the value `params` holds for `field` is within its bounds and
// allowed values (or unset); otherwise what is wrong, e.g. "top_p must be
// in (0, 1]".
std::string ValueProblem(
    const tao::inference::v1::SamplingParams& params,
    const tao::inference::v1::SamplingFieldDescription& field);

// OK when every field set in `params` is in `fields`; otherwise
// INVALID_ARGUMENT naming the flag that does not apply to `network_arch` and
// the flags that do.
absl::Status CheckFieldsApply(const tao::inference::v1::SamplingParams& params,
                              absl::string_view network_arch,
                              const SamplingFields& fields);

// "  --max-tokens N   (default 1024, at least 1; ...)" lines, one per field,
// for messages that tell a user or script what to pass.
std::string DescribeFields(const SamplingFields& fields);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_SAMPLING_FIELDS_H_
