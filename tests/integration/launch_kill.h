// SIGKILL of tao-inferd at a chosen step of a launch (tao-inferd-test's
// --test_pause_launch_at), for the platforms' crash tests: what the
// registry must hold after the restart is checked against the platform.
#ifndef TAO_TESTS_INTEGRATION_LAUNCH_KILL_H_
#define TAO_TESTS_INTEGRATION_LAUNCH_KILL_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tests/integration/server_harness.h"

namespace tao::integration {

// Restarts `server` with `config` plus --test_pause_launch_at=`step`
// ("before-submit", "after-submit"), sends `request` with return_on_accept,
// waits until the launch is paused at `step`, SIGKILLs the server, and
// starts it again with `config` (returning once its startup check is
// done). Returns the job id Start answered with.
absl::StatusOr<std::string> KillServerDuringLaunch(ServerHarness& server,
                                                   const ServerConfig& config,
                                                   v1::StartRequest request,
                                                   const std::string& step);

// The job ids of the registry file's entries that claim a workload (any
// state but STOPPED and FAILED).
std::set<std::string> EntriesClaimingAWorkload(const nlohmann::json& state);

}  // namespace tao::integration

#endif  // TAO_TESTS_INTEGRATION_LAUNCH_KILL_H_
