#include "platforms/common/ssh/command_runner.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace tao::platforms {
namespace {

// ssh exits with 255 when it fails itself (connection, authentication).
constexpr int kSshFailure = 255;

std::vector<std::string> CleanEnvironment(
    const std::vector<std::string>& keep) {
  std::vector<std::string> env = {"env", "-i"};
  for (const std::string& name : keep) {
    if (const char* value = std::getenv(name.c_str())) {
      env.push_back(absl::StrCat(name, "=", value));
    }
  }
  return env;
}

}  // namespace

std::vector<std::string> SshOptions(const SshTarget& target) {
  std::vector<std::string> argv = {"ssh"};
  // First: -F must come before the options it would otherwise override.
  if (!target.config_file.empty()) {
    // Without its connection sharing (brev's config has ControlMaster
    // auto): a tunnel's ssh would hand its forward to a master process and
    // exit, and the tunnel could no longer be owned by its pid.
    argv.insert(argv.end(), {"-F", target.config_file, "-o", "ControlMaster=no",
                             "-o", "ControlPath=none"});
  }
  argv.insert(argv.end(), {"-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                           "-o", "LogLevel=ERROR"});
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

std::string SshDestination(const SshTarget& target) {
  return target.user.empty() ? target.host
                             : absl::StrCat(target.user, "@", target.host);
}

absl::StatusOr<RunResult> CommandRunner::Run(
    const std::string& command_line, const std::string& stdin_text) const {
  std::vector<std::string> argv;
  if (target_.host.empty()) {
    argv = CleanEnvironment(context_.local_env);
    argv.insert(argv.end(), {"/bin/sh", "-c", command_line});
  } else {
    // ssh hands the one command string to the remote user's shell.
    argv = SshOptions(target_);
    argv.insert(argv.end(), {target_.host, command_line});
  }
  absl::StatusOr<RunResult> result =
      tao::platforms::Run(argv, timeout_, stdin_text);
  if (!result.ok()) {
    if (absl::IsDeadlineExceeded(result.status())) {
      return absl::UnavailableError(absl::StrCat(
          context_.what, " on ", Where(), " did not answer within ",
          absl::FormatDuration(timeout_)));
    }
    return result.status();
  }
  if (!target_.host.empty() && result->exit_code == kSshFailure) {
    return absl::UnavailableError(
        absl::StrCat("cannot reach ", Where(),
                     " over ssh: ", absl::StripAsciiWhitespace(result->output),
                     context_.unreachable_hint.empty()
                         ? ""
                         : absl::StrCat(" (", context_.unreachable_hint, ")")));
  }
  return result;
}

std::string CommandRunner::Where() const {
  if (target_.host.empty()) return "this machine";
  return absl::StrCat(context_.host_role, " ", SshDestination(target_));
}

}  // namespace tao::platforms
