// Runs shell command lines where the SLURM client tools live: on this
// machine (a login node), or on the login host over ssh with BatchMode (no
// prompts). Either way the line is interpreted by a POSIX shell, so callers
// quote with ShellQuote.
#ifndef TAO_PLATFORMS_SLURM_COMMAND_RUNNER_H_
#define TAO_PLATFORMS_SLURM_COMMAND_RUNNER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/common/subprocess.h"
#include "platforms/slurm/slurm_settings.h"

namespace tao::platforms::slurm {

// `ssh` and its options for `target` (BatchMode, key, port, user, pinned
// known_hosts), without the destination host. Shared with tunnels.
std::vector<std::string> SshOptions(const SshTarget& target);

class CommandRunner {
 public:
  CommandRunner(SshTarget login, absl::Duration timeout)
      : login_(std::move(login)), timeout_(timeout) {}

  // Runs `command_line`; `stdin_text` is its standard input (how files
  // with secrets travel: never on a command line). Locally the command
  // gets a clean environment (PATH, HOME, USER, LOGNAME, LANG, TZ,
  // SLURM_CONF only), so that the server's own secrets never reach a job
  // through sbatch --export=ALL. The exit code is the command's.
  // Errors: UNAVAILABLE when ssh cannot reach the login host or the
  // command outlives the timeout.
  absl::StatusOr<RunResult> Run(const std::string& command_line,
                                const std::string& stdin_text = "") const;

  // "this machine" or "login host user@host" (for messages).
  std::string Where() const;

 private:
  SshTarget login_;
  absl::Duration timeout_;
};

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_COMMAND_RUNNER_H_
