// `brev port-forward NAME -p LOCAL:REMOTE [--host]`
// (cmd/portforward/portforward.go; brev-cli.md §6): refreshes, resolves the
// instance, prints "Port forwarding..." and "localhost:L -> ALIAS:R",
// STARTS `ssh -i ~/.brev/brev.pem -T -L L:127.0.0.1:R ALIAS -N` with brev's
// stdin, stdout and stderr, never waits for it and exits 0 at once. There
// is no ExitOnForwardFailure: a busy LOCAL port leaves ssh running with no
// forward. The pid is recorded so that delete can kill it.
//
// Observed with OpenSSH 9.2 and the Host block's ControlMaster auto /
// ControlPersist 10m (not in the reference): ssh hands the forward to a
// background control master (a new one, or the one an exec left) and the
// started pid exits at once; the forward lives as long as the master.
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/brev_flags.h"
#include "tests/fakes/brev/child_process.h"
#include "tests/fakes/brev/command_helpers.h"
#include "tests/fakes/brev/commands.h"
#include "tests/fakes/brev/instance_machine.h"
#include "tests/fakes/brev/instance_ssh.h"
#include "tests/fakes/brev/ssh_files.h"

namespace tao::fakes::brev {
namespace {

const std::vector<FlagSpec>& PortForwardFlags() {
  static const std::vector<FlagSpec> flags = {
      {"port", 'p', FlagType::kString, "",
       "port forward flag describe me better"},
      {"host", 0, FlagType::kBool, "false",
       "Use the -host version of the instance"}};
  return flags;
}

}  // namespace

absl::Status PortForwardCommand(Context& ctx, const Args& args) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, PortForwardFlags());
  if (!flags.ok()) return flags.status();
  if (flags->help()) {
    ctx.out.Out(HelpText("port-forward",
                         "Port forward your Brev machine's port to your "
                         "local port",
                         PortForwardFlags()));
    return absl::OkStatus();
  }
  if (flags->args().size() != 1) {
    return ValidationError(
        absl::StrCat("accepts 1 arg(s), received ", flags->args().size()));
  }
  const std::string name = flags->args()[0];
  if (!flags->IsSet("port")) {
    // Unverified: how the interactive prompt ends on a stdin without input.
    ctx.out.Out(
        "\nPorts flag was omitted, running interactive mode!\n"
        "What port on your Brev machine would you like to forward? ");
    return BrevError("EOF");
  }
  const std::vector<std::string> ports =
      absl::StrSplit(flags->Get("port"), ':');
  int local = 0, remote = 0;
  if (ports.size() != 2) {
    return ValidationError("port format invalid, use local_port:remote_port");
  }
  if (absl::Status login = RequireLogin(ctx.knobs, ctx.store, ctx.out);
      !login.ok()) {
    return login;
  }
  if (absl::Status refreshed = RefreshSshFiles(ctx); !refreshed.ok()) {
    return refreshed;
  }
  std::optional<Instance> instance = Lookup(ctx, name);
  if (!instance.has_value()) return NotFound(name);
  const std::string alias =
      flags->Bool("host") ? instance->name + "-host" : instance->name;
  const std::string key = SshPathsFor(ctx.knobs.home).key;
  if (!std::filesystem::exists(key)) {
    return BrevError(
        absl::StrCat("SSH key not found at ", key,
                     ". Please ensure your Brev SSH key is properly set up."));
  }
  // brev hands the text to ssh unchecked; ssh refuses what is no port.
  if (!absl::SimpleAtoi(ports[0], &local)) local = 0;
  if (!absl::SimpleAtoi(ports[1], &remote)) remote = 0;
  ctx.out.Out(absl::StrCat("Port forwarding...\nlocalhost:", ports[0], " -> ",
                           alias, ":", ports[1], "\n"));
  const InstanceSsh ssh(ctx.knobs, ctx.log);
  absl::StatusOr<pid_t> pid = ssh.StartForward(
      alias, InstanceLoopback(instance->id), ports[0], ports[1]);
  if (!pid.ok()) {
    return BrevError(
        absl::StrCat("Failed to start SSH command: ", pid.status().message()));
  }
  const uint64_t started = ProcessStartTicks(*pid);
  return ctx.store.Update([&](State& state) {
    Instance* found = state.Find(instance->name);
    if (found != nullptr) {
      found->port_forwards.push_back({*pid, started, local, remote, alias});
    }
    return absl::OkStatus();
  });
}

}  // namespace tao::fakes::brev
