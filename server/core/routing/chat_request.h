// Per-architecture validation of an InferRequest and its translation into
// the container's chat-completions JSON body (spec §8), and the reverse for
// the answer (spec §9).
#ifndef TAO_SERVER_CORE_ROUTING_CHAT_REQUEST_H_
#define TAO_SERVER_CORE_ROUTING_CHAT_REQUEST_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/catalog/catalog.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::routing {

struct ChatRequest {
  std::string json_body;  // compact JSON for POST /v1/chat/completions
  tao::inference::v1::SamplingParams applied;  // values actually sent
};

// Validates `request` against `rules` (the target's architecture) and builds
// the body. Checks: at least one user message with content; media required
// (cosmos-rl); URLs http(s) or data: only (cloud URIs refused); extensions
// and MIME types per arch; ranges; fields the arch does not accept refused
// (cross-check, e.g. guidance sent to cosmos-rl). Defaults fill only unset
// fields. Bytes become data:<mime>;base64,... URIs.
// Errors: INVALID_ARGUMENT via core::InvalidField naming the field path
// ("messages[0].parts[1].image.url", "sampling.temperature").
//
// Because the containers silently drop what they do not read (spec §8),
// content they would drop is refused instead: at most one system message
// (text parts only, joined with "\n" into a string), exactly one user
// message (ROLE_UNSPECIFIED counts as user) with at most one text part,
// no unknown roles, no empty parts. Message order is kept. http(s) URLs
// whose path has no extension are accepted (only their server knows the
// type). The body omits "model" (the containers ignore it) and lists the
// sampling fields in a fixed order: max_tokens, temperature, top_p,
// guidance, num_steps, seed, negative_prompt. Media bytes are copied once
// into the body, as base64.
absl::StatusOr<ChatRequest> BuildChatRequest(
    const tao::inference::v1::InferRequest& request,
    const catalog::ArchRules& rules);

// Parses a 200 body into the response (job_id/network_arch/applied are left
// for the caller). A data: URI answer is decoded into Choice.media and
// media_mime_type and elided from raw_json. Errors: INTERNAL naming what is
// malformed.
absl::StatusOr<tao::inference::v1::InferResponse> ParseChatReply(
    absl::string_view body);

}  // namespace tao::routing

#endif  // TAO_SERVER_CORE_ROUTING_CHAT_REQUEST_H_
