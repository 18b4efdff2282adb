// `tao-infer wait JOB_ID [--timeout SECONDS]`.
#include "client/cli/commands.h"
#include "client/cli/json_output.h"
#include "client/cli/wait_stream.h"

namespace tao::cli {

int RunWait(const CliContext& context, const WaitArgs& args) {
  WaitOutcome outcome =
      FollowWaitReady(context, args.job_id, args.timeout_seconds);
  if (context.json) {
    PrintJson(context.io.out, WaitOutcomeToJson(outcome));
  } else {
    PrintWaitSummary(context, outcome);
  }
  return outcome.exit_code();
}

}  // namespace tao::cli
