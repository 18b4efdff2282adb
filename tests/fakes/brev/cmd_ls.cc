// `brev ls [--json] [--all] [--org ORG]` (cmd/ls/ls.go; brev-cli.md §3).
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/brev_flags.h"
#include "tests/fakes/brev/commands.h"
#include "tests/fakes/brev/instance_clock.h"

namespace tao::fakes::brev {
namespace {

const std::vector<FlagSpec>& LsFlags() {
  static const std::vector<FlagSpec> flags = {
      {"org", 'o', FlagType::kString, "",
       "organization (will override active org)"},
      {"all", 0, FlagType::kBool, "false", "show all instances in org"},
      {"json", 0, FlagType::kBool, "false", "output as JSON"}};
  return flags;
}

// outputWorkspacesJSON: the keys in the order of brev's struct, and a nil
// slice (null) when there is nothing. Unverified: the indentation (Go's
// MarshalIndent with two spaces is assumed).
std::string LsJson(const State& state, bool all) {
  nlohmann::ordered_json workspaces = nullptr;
  for (const Instance& instance : state.instances) {
    workspaces.push_back(
        nlohmann::ordered_json{{"name", instance.name},
                               {"id", instance.id},
                               {"status", DisplayStatus(instance)},
                               {"build_status", instance.build_status},
                               {"shell_status", ShellStatus(instance)},
                               {"health_status", instance.health_status},
                               {"instance_type", instance.instance_type},
                               {"instance_kind", instance.instance_kind},
                               {"gpu", instance.gpu}});
  }
  nlohmann::ordered_json out = {{"workspaces", workspaces}};
  // --all adds the org's nodes; the fake has none (unverified: null).
  if (all) out["nodes"] = nullptr;
  return out.dump(2) + "\n";
}

// Unverified: the human table's layout and the empty message.
std::string LsTable(const State& state) {
  if (state.instances.empty()) return "No instances in org fake-org\n";
  std::string text = absl::StrCat("You have ", state.instances.size(),
                                  " instances in Org fake-org\n");
  absl::StrAppend(&text, " NAME  STATUS  BUILD  SHELL  ID  MACHINE\n");
  for (const Instance& instance : state.instances) {
    absl::StrAppend(&text, " ", instance.name, "  ", DisplayStatus(instance),
                    "  ", instance.build_status, "  ", ShellStatus(instance),
                    "  ", instance.id, "  ", instance.instance_type, " (",
                    instance.instance_kind, ")\n");
  }
  return text;
}

}  // namespace

absl::Status LsCommand(Context& ctx, const Args& args) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, LsFlags());
  if (!flags.ok()) return flags.status();
  if (flags->help()) {
    ctx.out.Out(
        HelpText("ls", "List instances within your active org", LsFlags()));
    return absl::OkStatus();
  }
  if (absl::Status login = RequireLogin(ctx.knobs, ctx.store, ctx.out);
      !login.ok()) {
    return login;
  }
  if (ctx.knobs.ls_output.has_value()) {
    ctx.out.Out(*ctx.knobs.ls_output);
    return absl::OkStatus();
  }
  absl::StatusOr<State> state = ctx.store.Read();
  if (!state.ok()) return state.status();
  if (flags->Bool("json")) {
    ctx.out.Out(LsJson(*state, flags->Bool("all")));
  } else if (ctx.out.stdout_piped()) {
    for (const Instance& instance : state->instances) {
      ctx.out.Out(instance.name + "\n");
    }
  } else {
    ctx.out.Out(LsTable(*state));
  }
  return absl::OkStatus();
}

}  // namespace tao::fakes::brev
