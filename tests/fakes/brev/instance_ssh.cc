#include "tests/fakes/brev/instance_ssh.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "platforms/common/shell_quote.h"
#include "tests/fakes/brev/child_process.h"
#include "tests/fakes/brev/ssh_files.h"
#include "tests/support/free_port.h"

namespace tao::fakes::brev {
namespace {

// ssh's arguments up to the alias; a refusing port when unreachable.
std::vector<std::string> SshBase(const Knobs& knobs,
                                 const tests::LoopbackSocket* refusing) {
  std::vector<std::string> argv = {"ssh", "-F", SshPathsFor(knobs.home).config};
  if (refusing != nullptr) {
    argv.insert(argv.end(), {"-p", absl::StrCat(refusing->port())});
  }
  return argv;
}

int ExitCodeOf(const absl::StatusOr<int>& ran) { return ran.ok() ? *ran : 255; }

}  // namespace

int InstanceSsh::Exec(const std::string& alias, const std::string& command,
                      int connect_timeout_s, bool reachable) const {
  // Held (bound, not listening) while ssh runs: connections are refused.
  tests::LoopbackSocket refusing;
  std::vector<std::string> argv =
      SshBase(knobs_, reachable ? nullptr : &refusing);
  argv.insert(argv.end(),
              {"-T", "-o", absl::StrCat("ConnectTimeout=", connect_timeout_s),
               "-o", "LogLevel=ERROR", alias});
  argv.push_back(
      knobs_.instance_docker_host.empty()
          ? command
          : absl::StrCat("export DOCKER_HOST=",
                         platforms::ShellQuote(knobs_.instance_docker_host),
                         "; ", command));
  const int code = ExitCodeOf(RunChild(argv, ChildStdio::kInheritOutput));
  log_.RecordEvent({{"event", "ssh_exec"},
                    {"alias", alias},
                    {"command", command},
                    {"reachable", reachable},
                    {"exit_code", code}});
  return code;
}

bool InstanceSsh::Probe(const std::string& alias, bool reachable) const {
  tests::LoopbackSocket refusing;
  std::vector<std::string> argv =
      SshBase(knobs_, reachable ? nullptr : &refusing);
  argv.insert(argv.end(), {"-o", "ConnectTimeout=10", alias, "echo", " "});
  const int code = ExitCodeOf(RunChild(argv, ChildStdio::kSilent));
  log_.RecordEvent({{"event", "ssh_probe"},
                    {"alias", alias},
                    {"reachable", reachable},
                    {"exit_code", code}});
  return code == 0;
}

absl::StatusOr<pid_t> InstanceSsh::StartForward(
    const std::string& alias, const std::string& loopback,
    const std::string& local_port, const std::string& remote_port) const {
  std::vector<std::string> argv = SshBase(knobs_, nullptr);
  argv.insert(
      argv.end(),
      {"-i", SshPathsFor(knobs_.home).key, "-T", "-L",
       absl::StrCat(local_port, ":", loopback, ":", remote_port), alias, "-N"});
  absl::StatusOr<pid_t> pid = StartChild(argv, ChildStdio::kInheritAll);
  log_.RecordEvent({{"event", "ssh_port_forward"},
                    {"alias", alias},
                    {"local_port", local_port},
                    {"remote_port", remote_port},
                    {"ssh_pid", pid.ok() ? *pid : 0}});
  return pid;
}

void InstanceSsh::CancelForward(const std::string& alias,
                                const std::string& loopback, int local_port,
                                int remote_port) const {
  std::vector<std::string> argv = SshBase(knobs_, nullptr);
  argv.insert(
      argv.end(),
      {"-O", "cancel", "-L",
       absl::StrCat(local_port, ":", loopback, ":", remote_port), alias});
  RunChild(argv, ChildStdio::kSilent).status().IgnoreError();
}

void InstanceSsh::StopMaster(const std::string& alias) const {
  std::vector<std::string> argv = SshBase(knobs_, nullptr);
  argv.insert(argv.end(), {"-O", "exit", alias});
  RunChild(argv, ChildStdio::kSilent).status().IgnoreError();
}

}  // namespace tao::fakes::brev
