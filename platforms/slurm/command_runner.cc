#include "platforms/slurm/command_runner.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace tao::platforms::slurm {
namespace {

// ssh exits with 255 when it fails itself (connection, authentication).
constexpr int kSshFailure = 255;

std::vector<std::string> CleanEnvironment() {
  std::vector<std::string> env = {"env", "-i"};
  for (const char* name :
       {"PATH", "HOME", "USER", "LOGNAME", "LANG", "TZ", "SLURM_CONF"}) {
    if (const char* value = std::getenv(name)) {
      env.push_back(absl::StrCat(name, "=", value));
    }
  }
  return env;
}

}  // namespace

std::vector<std::string> SshOptions(const SshTarget& target) {
  std::vector<std::string> argv = {
      "ssh",           "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o",
      "LogLevel=ERROR"};
  if (!target.key_path.empty()) {
    argv.insert(argv.end(),
                {"-i", target.key_path, "-o", "IdentitiesOnly=yes"});
  }
  if (!target.known_hosts.empty()) {
    argv.insert(argv.end(), {"-o", "UserKnownHostsFile=" + target.known_hosts,
                             "-o", "StrictHostKeyChecking=yes"});
  }
  if (target.port > 0) {
    argv.insert(argv.end(), {"-p", absl::StrCat(target.port)});
  }
  if (!target.user.empty()) argv.insert(argv.end(), {"-l", target.user});
  return argv;
}

absl::StatusOr<RunResult> CommandRunner::Run(
    const std::string& command_line, const std::string& stdin_text) const {
  std::vector<std::string> argv;
  if (login_.host.empty()) {
    argv = CleanEnvironment();
    argv.insert(argv.end(), {"/bin/sh", "-c", command_line});
  } else {
    // ssh hands the one command string to the login user's shell.
    argv = SshOptions(login_);
    argv.insert(argv.end(), {login_.host, command_line});
  }
  absl::StatusOr<RunResult> result =
      tao::platforms::Run(argv, timeout_, stdin_text);
  if (!result.ok()) {
    if (absl::IsDeadlineExceeded(result.status())) {
      return absl::UnavailableError(
          absl::StrCat("SLURM command on ", Where(), " did not answer within ",
                       absl::FormatDuration(timeout_)));
    }
    return result.status();
  }
  if (!login_.host.empty() && result->exit_code == kSshFailure) {
    return absl::UnavailableError(absl::StrCat(
        "cannot reach ", Where(),
        " over ssh: ", absl::StripAsciiWhitespace(result->output),
        " (check SLURM_HOSTNAME, SLURM_USER, SSH_KEY_PATH and that the key "
        "is authorized without a passphrase)"));
  }
  return result;
}

std::string CommandRunner::Where() const {
  if (login_.host.empty()) return "this machine";
  return absl::StrCat(
      "login host ", login_.user.empty() ? "" : login_.user + "@", login_.host);
}

}  // namespace tao::platforms::slurm
