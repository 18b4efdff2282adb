// `brev exec [instance...] "<command>"` (cmd/exec/exec.go; brev-cli.md §5):
// the last argument is the command (@file reads a local file), every other
// argument and each piped stdin line an instance. ssh runs first, with a
// 5 s connect timeout; when it exits non-zero, for ANY reason (no
// connection, or the remote command failed), brev prints "Connection
// failed, checking instance status..." and looks the instance up:
//   unknown  -> "ssh connection failed and could not look up instance ..."
//   STOPPED  -> start it, poll until RUNNING, refresh, wait for ssh and run
//               the command again
//   RUNNING  -> refresh, wait for ssh and run the command AGAIN (10 s)
//   other    -> "instance "<n>" is in state "<S>" — please check with: ..."
// So a failing remote command runs twice and exit code 1 replaces its own.
// With stdout piped the instance name follows the command's output (glued
// to its last line when that has no newline).
#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/brev_flags.h"
#include "tests/fakes/brev/command_helpers.h"
#include "tests/fakes/brev/commands.h"
#include "tests/fakes/brev/container_names.h"
#include "tests/fakes/brev/instance_clock.h"
#include "tests/fakes/brev/instance_ssh.h"

namespace tao::fakes::brev {
namespace {

const std::vector<FlagSpec>& ExecFlags() {
  static const std::vector<FlagSpec> flags = {
      {"host", 0, FlagType::kBool, "false",
       "ssh into the host machine instead of the container"}};
  return flags;
}

// brev wraps the ssh error with a trace (errors.WrapAndTrace) before %w
// puts it into these messages. Unverified: the blob's exact form; callers
// must not parse it (brev-cli.md §0).
std::string Traced(const std::string& inner) {
  return absl::StrCat(
      "[error] github.com/brevdev/brev-cli/pkg/cmd/exec."
      "runSSHWithTimeout\nfake-brev/exec.go:0\n: ",
      inner);
}

// Whether this ssh attempt may reach the machine: the instance runs and
// no "first ssh fails" attempt is left (each attempt uses one up).
bool TakeReachable(Context& ctx, const std::string& name) {
  bool reachable = false;
  ctx.store
      .Update([&](State& state) {
        Instance* instance = state.Find(name);
        if (instance == nullptr || instance->status != "RUNNING") {
          return absl::OkStatus();
        }
        if (instance->ssh_failures > 0) {
          --instance->ssh_failures;
          return absl::OkStatus();
        }
        reachable = true;
        return absl::OkStatus();
      })
      .IgnoreError();
  return reachable;
}

void RecordContainers(Context& ctx, const std::string& name,
                      const std::string& command) {
  const std::vector<std::string> seen = ContainerNamesIn(command);
  if (seen.empty()) return;
  ctx.store
      .Update([&](State& state) {
        Instance* instance = state.Find(name);
        if (instance == nullptr) return absl::OkStatus();
        for (const std::string& container : seen) {
          if (std::find(instance->containers.begin(),
                        instance->containers.end(),
                        container) == instance->containers.end()) {
            instance->containers.push_back(container);
          }
        }
        return absl::OkStatus();
      })
      .IgnoreError();
}

// util.WaitForSSHToBeAvailable: up to FAKE_BREV_SSH_WAIT_TRIES probes.
bool WaitForSsh(Context& ctx, const InstanceSsh& ssh, const std::string& name,
                const std::string& alias) {
  for (int i = 0; i < ctx.knobs.ssh_wait_tries; ++i) {
    if (ssh.Probe(alias, TakeReachable(ctx, name))) return true;
    absl::SleepFor(ctx.knobs.ssh_wait);
  }
  return false;
}

// util.StartWorkspaceIfStopped (unverified: it prints nothing here).
void StartIfStopped(Context& ctx, const std::string& name) {
  ctx.store
      .Update([&](State& state) {
        Instance* instance = state.Find(name);
        if (instance != nullptr && instance->status == "STOPPED") {
          Schedule(*instance, "STARTING", "RUNNING", ctx.knobs.start,
                   NowMillis());
        }
        return absl::OkStatus();
      })
      .IgnoreError();
}

absl::Status RunOnInstance(Context& ctx, const std::string& name, bool host,
                           const std::string& command) {
  const InstanceSsh ssh(ctx.knobs, ctx.log);
  const std::string alias = host ? name + "-host" : name;
  RecordContainers(ctx, name, command);
  const int first = ssh.Exec(alias, command, 5, TakeReachable(ctx, name));
  if (first == 0) return absl::OkStatus();

  ctx.out.Err("Connection failed, checking instance status...\n");
  std::optional<Instance> instance = Lookup(ctx, name);
  if (!instance.has_value()) {
    return BrevError(
        absl::StrCat("ssh connection failed and could not look up instance \"",
                     name, "\": ", Traced(absl::StrCat("exit status ", first)),
                     "\nPlease check your instances with: brev ls"));
  }
  if (instance->status == "STOPPED") {
    StartIfStopped(ctx, name);
    if (PollStatus(ctx, name, {"RUNNING"}, absl::Minutes(10)).empty()) {
      // Unverified wording of PollUntil's timeout.
      return BrevError(absl::StrCat("timed out waiting for instance ", name,
                                    " to be RUNNING"));
    }
  } else if (instance->status != "RUNNING") {
    return BrevError(absl::StrCat("instance \"", name, "\" is in state \"",
                                  instance->status,
                                  "\" — please check with: brev ls"));
  }
  if (absl::Status refreshed = RefreshSshFiles(ctx); !refreshed.ok()) {
    return refreshed;
  }
  if (!WaitForSsh(ctx, ssh, name, alias)) {
    // Unverified wording of the inner error.
    return BrevError(
        absl::StrCat("could not connect to instance \"", name,
                     "\": ", Traced("ssh did not become available"),
                     "\nPlease check with: brev ls"));
  }
  const int second = ssh.Exec(alias, command, 10, TakeReachable(ctx, name));
  if (second != 0) return BrevError(absl::StrCat("exit status ", second));
  return absl::OkStatus();
}

// parseCommand: "@path" sends the local file.
absl::StatusOr<std::string> CommandText(const std::string& arg) {
  if (arg.empty() || arg[0] != '@') return arg;
  const std::string path = arg.substr(1);
  std::ifstream in(path);
  if (!in) {
    return BrevError(
        absl::StrCat("open ", path, ": no such file or directory"));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::Status ExecCommand(Context& ctx, const Args& args) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, ExecFlags());
  if (!flags.ok()) return flags.status();
  if (flags->help()) {
    ctx.out.Out(HelpText("exec [instance...] <command>",
                         "Execute a command on one or more instances "
                         "non-interactively",
                         ExecFlags()));
    return absl::OkStatus();
  }
  const std::vector<std::string>& positional = flags->args();
  if (positional.empty()) {
    return BrevError("requires at least 1 arg(s), only received 0");
  }
  absl::StatusOr<std::vector<std::string>> names = InstanceNames(
      ctx, std::vector<std::string>(positional.begin(), positional.end() - 1));
  if (!names.ok()) return names.status();
  absl::StatusOr<std::string> command = CommandText(positional.back());
  if (!command.ok()) return command.status();
  if (command->empty()) return ValidationError("command is required");
  // The reference's fake design (§9) checks the login first. Unverified:
  // exec.go runs ssh before any API call, so a real exec to a reachable
  // instance may succeed without a login.
  if (absl::Status login = RequireLogin(ctx.knobs, ctx.store, ctx.out);
      !login.ok()) {
    return login;
  }
  std::vector<std::string> errors;
  for (const std::string& name : *names) {
    if (names->size() > 1) ctx.out.Err(absl::StrCat("\n=== ", name, " ===\n"));
    absl::Status ran = RunOnInstance(ctx, name, flags->Bool("host"), *command);
    if (!ran.ok()) {
      if (names->size() == 1) return ran;
      ctx.out.Err(absl::StrCat("Error on ", name, ": ", ran.message(), "\n"));
      errors.emplace_back(ran.message());
      continue;
    }
    if (ctx.out.stdout_piped()) ctx.out.Out(name + "\n");
  }
  if (!errors.empty()) return BrevError(JoinErrors(errors));
  return absl::OkStatus();
}

}  // namespace tao::fakes::brev
