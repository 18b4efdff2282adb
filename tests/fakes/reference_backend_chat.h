// The chat-completions answer of a ready reference test backend: parses
// the body like the container (spec §8: system prompt, first user message,
// media in order, sampling fields), validates it per architecture and
// answers with spec §9's 200 shape or a 400 invalid_request.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_CHAT_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_CHAT_H_

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/fakes/reference_backend_answer.h"
#include "tests/fakes/reference_backend_args.h"

namespace tao::fakes {

// Content of a cosmos-rl answer: a fixed text that echoes what the backend
// understood, e.g.
//   reference backend (a test backend, not a model) for cosmos-rl:
//   prompt="Describe it" system="" media=1 max_new_tokens=1024
//   temperature=0.7
// (one line; then " key=value" for each other forwarded sampling field
// present in the request, in the order of spec §8). cosmos-predict2.5
// answers with "data:video/mp4;base64,<a tiny valid MP4>".
HttpAnswer AnswerChat(const LaunchConfig& config, absl::string_view body,
                      absl::Time now);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_CHAT_H_
