#include "tests/fakes/brev/brev_cli.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/fakes/brev/commands.h"

namespace tao::fakes::brev {
namespace {

struct CommandEntry {
  const char* name;
  absl::Status (*run)(Context&, const Args&);
};

// `create` is cmd/gpucreate (alias provision; older releases also answered
// to gpu-create).
const std::vector<CommandEntry>& Implemented() {
  static const std::vector<CommandEntry> commands = {
      {"login", &LoginCommand},
      {"ls", &LsCommand},
      {"create", &CreateCommand},
      {"provision", &CreateCommand},
      {"gpu-create", &CreateCommand},
      {"exec", &ExecCommand},
      {"port-forward", &PortForwardCommand},
      {"delete", &DeleteCommand},
      {"stop", &StopCommand},
      {"start", &StartCommand},
      {"refresh", &RefreshCommand}};
  return commands;
}

// Real commands the fake does not offer: they fail loudly instead of
// looking like cobra's "unknown command".
bool IsOtherRealCommand(const std::string& name) {
  for (const char* other :
       {"shell", "open", "org", "set", "gpus", "logout", "invite", "secret",
        "ssh-key", "reset", "scale", "recreate", "healthcheck", "profile",
        "configure-env-vars", "workspacegroups", "hello", "connect"}) {
    if (name == other) return true;
  }
  return false;
}

constexpr char kRootHelp[] =
    "\n      brev client for managing dev environment\n\n"
    "Usage:\n  brev [command]\n\n"
    "Commands (fake-brev):\n"
    "  create        Create GPU instances with automatic retry\n"
    "  delete        Delete instances\n"
    "  exec          Execute a command on instance(s)\n"
    "  login         log into brev\n"
    "  ls            List instances within active org\n"
    "  port-forward  Enable a local tunnel\n"
    "  refresh       Force a refresh to the ssh config\n"
    "  start         Start a stopped instance\n"
    "  stop          Stop an instance if it's running\n\n"
    "Use \"brev [command] --help\" for more information about a command.\n";

absl::Status Dispatch(Context& ctx, std::vector<std::string> args) {
  // brev's persistent --user may come before the command.
  while (args.size() >= 2 && args[0] == "--user") {
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.empty() || args[0] == "help" || args[0] == "--help" ||
      args[0] == "-h") {
    ctx.out.Out(kRootHelp);
    return absl::OkStatus();
  }
  if (args[0] == "--version") {
    ctx.out.Out("Current Version: fake-brev\n");
    return absl::OkStatus();
  }
  if (args[0].size() > 1 && args[0][0] == '-') {
    return ValidationError(
        absl::StrCat("unknown flag: ", args[0].substr(0, args[0].find('='))));
  }
  const std::string name = args[0];
  const Args rest(args.begin() + 1, args.end());
  for (const CommandEntry& command : Implemented()) {
    if (name == command.name) return command.run(ctx, rest);
  }
  if (IsOtherRealCommand(name)) {
    return BrevError(absl::StrCat("fake-brev: `brev ", name,
                                  "` is not implemented by the fake"));
  }
  return BrevError(absl::StrCat("unknown command \"", name, "\" for \"brev\""));
}

}  // namespace

int RunBrev(int argc, char** argv) {
  absl::StatusOr<Knobs> knobs = ReadKnobs();
  if (!knobs.ok()) {
    std::fprintf(stderr, "fake-brev: %s\n",
                 std::string(knobs.status().message()).c_str());
    return 1;
  }
  Context ctx(*std::move(knobs));
  const std::vector<std::string> argv_copy(argv, argv + argc);
  ctx.log.RecordCall(argv_copy, ctx.stdio);
  absl::Status ran = Dispatch(
      ctx, std::vector<std::string>(argv_copy.begin() + 1, argv_copy.end()));
  if (ran.ok()) return 0;
  ctx.out.PrintError(ran);
  return 1;
}

}  // namespace tao::fakes::brev
