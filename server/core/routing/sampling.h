// The sampling fields of a request: which an architecture accepts, their
// ranges and defaults (spec §8, seed §6.1), and their JSON form.
#ifndef TAO_SERVER_CORE_ROUTING_SAMPLING_H_
#define TAO_SERVER_CORE_ROUTING_SAMPLING_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/core/catalog/catalog.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::routing {

// The values to send: every field the caller set, after checking that
// `rules` supports it and that it is within the field's range, plus the
// default of every supported field the caller left unset (fields without a
// default, like negative_prompt, stay unset). Catalog fields that
// SamplingParams does not have are ignored: they could be neither set nor
// echoed.
// Errors: INVALID_ARGUMENT naming "sampling.<field>" (not accepted by the
// architecture, out of range, not finite); INTERNAL when the catalog's
// default does not parse as the field's type.
absl::StatusOr<tao::inference::v1::SamplingParams> ResolveSampling(
    const tao::inference::v1::SamplingParams& requested,
    const catalog::ArchRules& rules);

// Appends `,"name":value` for every set field of `params`, in a fixed order:
// max_tokens, temperature, top_p, guidance, num_steps, seed, negative_prompt.
void AppendSamplingJson(const tao::inference::v1::SamplingParams& params,
                        std::string* out);

}  // namespace tao::routing

#endif  // TAO_SERVER_CORE_ROUTING_SAMPLING_H_
