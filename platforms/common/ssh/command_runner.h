// Runs shell command lines where a platform's tools live: on this machine,
// or on a remote host over ssh with BatchMode (no prompts). Either way the
// line is interpreted by a POSIX shell, so callers quote with ShellQuote
// (platforms/common/shell_quote.h).
#ifndef TAO_PLATFORMS_COMMON_SSH_COMMAND_RUNNER_H_
#define TAO_PLATFORMS_COMMON_SSH_COMMAND_RUNNER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/common/ssh/ssh_target.h"
#include "platforms/common/subprocess.h"

namespace tao::platforms {

// What the runner's messages and local environment say about the
// platform it serves.
struct RunnerContext {
  // What the commands are, for messages: "SLURM command".
  std::string what = "command";
  // What the remote host is to the platform, for messages: "login host".
  std::string host_role = "host";
  // Variables of the server's environment that a local command keeps;
  // every other one (the server's secrets first of all) is dropped.
  std::vector<std::string> local_env = {"PATH",    "HOME", "USER",
                                        "LOGNAME", "LANG", "TZ"};
  // Appended to the message when ssh cannot reach the host: which
  // settings to check ("check SLURM_HOSTNAME, ...").
  std::string unreachable_hint;
};

class CommandRunner {
 public:
  CommandRunner(SshTarget target, absl::Duration timeout,
                RunnerContext context = {})
      : target_(std::move(target)),
        timeout_(timeout),
        context_(std::move(context)) {}

  // Runs `command_line`; `stdin_text` is its standard input (how files
  // with secrets travel: never on a command line). Locally the command
  // gets a clean environment (RunnerContext::local_env only), so that the
  // server's own secrets never reach a workload by inheritance. The exit
  // code is the command's.
  // Errors: UNAVAILABLE when ssh cannot reach the host or the command
  // outlives the timeout.
  absl::StatusOr<RunResult> Run(const std::string& command_line,
                                const std::string& stdin_text = "") const;

  // "this machine" or "<host_role> user@host" (for messages).
  std::string Where() const;

  const SshTarget& target() const { return target_; }

 private:
  SshTarget target_;
  absl::Duration timeout_;
  RunnerContext context_;
};

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_COMMON_SSH_COMMAND_RUNNER_H_
