// Decides the sampling values of one Infer call: asks on a terminal, in one
// round, for every applicable field the user did not pass; refuses without
// a terminal unless the user passed them all or --accept-defaults.
#ifndef TAO_CLIENT_CLI_SAMPLING_PROMPT_H_
#define TAO_CLIENT_CLI_SAMPLING_PROMPT_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/cli/sampling_fields.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

struct SamplingPromptOptions {
  bool is_tty = false;           // may we ask on `in`?
  bool accept_defaults = false;  // --accept-defaults
};

struct SamplingOutcome {
  // What to send. A field left unset (Enter, or --accept-defaults) is filled
  // by the server, which echoes it in InferResponse.applied.
  tao::inference::v1::SamplingParams params;
  // Set when no terminal was available and fields were missing: nothing
  // may be sent; `missing` lists what the caller must pass.
  bool refused = false;
  SamplingFields missing;
};

// Fields of `fields` not set in `given`.
SamplingFields MissingFields(const SamplingFields& fields,
                             const tao::inference::v1::SamplingParams& given);

// On a terminal, prints every field with its default (or the value given by
// flag) to `prompt_out`, then asks "name [default]: " for each missing one,
// reading a line of `in`; Enter keeps the default, a value that does not
// parse or that the field's description does not accept is asked again.
// Errors: INVALID_ARGUMENT when `in` ends before every answer.
absl::StatusOr<SamplingOutcome> ResolveSampling(
    absl::string_view network_arch, const SamplingFields& fields,
    const tao::inference::v1::SamplingParams& given,
    const SamplingPromptOptions& options, std::istream& in,
    std::ostream& prompt_out);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_SAMPLING_PROMPT_H_
