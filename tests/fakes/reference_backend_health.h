// Health answers of the reference test backend (spec §7) and the "not
// ready" answers of its chat route (spec §9, checked in the server's order:
// initializing, init error, loading, load error, not loaded).
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_HEALTH_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_HEALTH_H_

#include <optional>

#include "absl/time/time.h"
#include "tests/fakes/reference_backend_answer.h"
#include "tests/fakes/reference_backend_args.h"
#include "tests/fakes/reference_backend_state.h"

namespace tao::fakes {

// 200 with the real server's ready body, else 503 with either
// {"error":{"type","message"}} (skill shape, the default) or the real
// server's {"status":"not_ready","reason",...} (knob shape-status).
HttpAnswer ReadinessAnswer(const BackendState::Snapshot& state,
                           const LaunchConfig& config, absl::Time now);

// Always 200 {"status":"healthy", ...progress...}.
HttpAnswer LivenessAnswer(const BackendState::Snapshot& state,
                          const LaunchConfig& config, absl::Time now);

// The 202/503 answer of a chat request while not ready; nullopt when ready.
std::optional<HttpAnswer> ChatNotReadyAnswer(
    const BackendState::Snapshot& state);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_HEALTH_H_
