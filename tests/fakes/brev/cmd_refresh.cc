// `brev refresh` (cmd/refresh; brev-cli.md §7): writes brev.pem and the
// ssh_config of the RUNNING instances and adds the Include line
// (ssh_files.h).
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/brev_flags.h"
#include "tests/fakes/brev/command_helpers.h"
#include "tests/fakes/brev/commands.h"

namespace tao::fakes::brev {

absl::Status RefreshCommand(Context& ctx, const Args& args) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, {});
  if (!flags.ok()) return flags.status();
  if (flags->help()) {
    ctx.out.Out(HelpText("refresh", "Force a refresh to the ssh config", {}));
    return absl::OkStatus();
  }
  if (absl::Status login = RequireLogin(ctx.knobs, ctx.store, ctx.out);
      !login.ok()) {
    return login;
  }
  ctx.out.Out("refreshing brev...\n");
  if (absl::Status refreshed = RefreshSshFiles(ctx); !refreshed.ok()) {
    return refreshed;
  }
  ctx.out.Out("brev has been refreshed\n");
  return absl::OkStatus();
}

}  // namespace tao::fakes::brev
