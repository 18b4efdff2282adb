// Follows a WaitReady stream; shared by `wait` and `start --wait`.
#ifndef TAO_CLIENT_CLI_WAIT_STREAM_H_
#define TAO_CLIENT_CLI_WAIT_STREAM_H_

#include <optional>
#include <string>
#include <vector>

#include "client/cli/command_context.h"
#include "nlohmann/json.hpp"

namespace tao::cli {

struct WaitOutcome {
  std::string job_id;
  std::vector<tao::inference::v1::WaitReadyEvent> events;
  // The state of the last event (UNSPECIFIED when none came).
  tao::inference::v1::ServiceState final_state =
      tao::inference::v1::SERVICE_STATE_UNSPECIFIED;
  // Set when the service is not ready: the call failed, timed out, or the
  // service failed (the last event FAILED or STOPPED: service_failed,
  // exit 4).
  std::optional<CliError> error;

  int exit_code() const;
};

// Streams WaitReady for `job_id`. Without --json each event is shown as it
// arrives (WaitProgressDisplay: a line on context.io.out, image-pull bytes
// as a bar on a terminal stderr). `timeout_seconds` goes to the server (unset:
// the server's default, 600 s); the call's own deadline is a little later
// so the server's answer wins.
WaitOutcome FollowWaitReady(const CliContext& context,
                            const std::string& job_id,
                            std::optional<double> timeout_seconds);

// {"job_id", "ready", "final_state", "events": [...], "error"?: {...}}.
nlohmann::json WaitOutcomeToJson(const WaitOutcome& outcome);

// Human summary of the end of the wait ("Service ... is ready.").
void PrintWaitSummary(const CliContext& context, const WaitOutcome& outcome);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_WAIT_STREAM_H_
