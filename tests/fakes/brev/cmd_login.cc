// `brev login --token TOKEN` (cmd/login/login.go; brev-cli.md §2).
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/brev_flags.h"
#include "tests/fakes/brev/commands.h"

namespace tao::fakes::brev {
namespace {

const std::vector<FlagSpec>& LoginFlags() {
  static const std::vector<FlagSpec> flags = {
      {"token", 0, FlagType::kString, "", "token provided to auto login"},
      {"skip-browser", 0, FlagType::kBool, "false",
       "print url instead of auto opening browser"},
      {"api-key", 0, FlagType::kString, "", ""},
      {"org-id", 0, FlagType::kString, "", ""}};
  return flags;
}

}  // namespace

absl::Status LoginCommand(Context& ctx, const Args& args) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, LoginFlags());
  if (!flags.ok()) return flags.status();
  if (flags->help()) {
    ctx.out.Out(HelpText("login", "log into brev", LoginFlags()));
    return absl::OkStatus();
  }
  if (flags->IsSet("api-key") && !flags->IsSet("org-id")) {
    return BrevError(
        "api key auth requires an org id; run brev login --api-key "
        "<api-key> --org-id <org-id>");
  }
  if (!flags->IsSet("token")) {
    return BrevError(
        "fake-brev: only brev login --token TOKEN is implemented (the device "
        "login opens a browser and waits)");
  }
  if (absl::Status logged_in =
          LogInWithToken(ctx.knobs, ctx.store, flags->Get("token"));
      !logged_in.ok()) {
    return logged_in;
  }
  // Unverified: the breadcrumbs after "▸ Starting Login" (user and org).
  ctx.out.Out(
      "▸ Starting Login\n"
      "▸ Logged in\n");
  return absl::OkStatus();
}

}  // namespace tao::fakes::brev
