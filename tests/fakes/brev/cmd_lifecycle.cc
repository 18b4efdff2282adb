// `brev delete NAME...`, `brev stop NAME...`, `brev start NAME...`
// (cmd/delete, cmd/stop, cmd/start; brev-cli.md §7). Names come from the
// arguments and a piped stdin; piped stdout gets only the names. All three
// are asynchronous: delete leaves the instance DELETING and it disappears
// after FAKE_BREV_DELETE_MS; stop goes STOPPING -> STOPPED; start goes
// STARTING -> RUNNING. Delete and stop take the machine away
// (instance_teardown.h): the containers exec started and the port-forwards
// go. delete has no flags, so `--yes` is "unknown flag: --yes".
#include <functional>
#include <optional>

#include "absl/strings/str_cat.h"
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/brev_flags.h"
#include "tests/fakes/brev/command_helpers.h"
#include "tests/fakes/brev/commands.h"
#include "tests/fakes/brev/instance_clock.h"
#include "tests/fakes/brev/instance_teardown.h"

namespace tao::fakes::brev {
namespace {

// What one name does to the state: an error, or the teardown to run and
// the message to print.
struct Change {
  absl::Status error;
  std::optional<Teardown> teardown;
  std::string message;
};
using ChangeFn = std::function<Change(Instance&, State&)>;

absl::Status ForEachName(Context& ctx, const Args& args,
                         const std::vector<FlagSpec>& specs,
                         const std::string& use, const std::string& about,
                         const ChangeFn& change) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(args, specs);
  if (!flags.ok()) return flags.status();
  if (flags->help()) {
    ctx.out.Out(HelpText(use, about, specs));
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> names =
      InstanceNames(ctx, flags->args());
  if (!names.ok()) return names.status();
  if (absl::Status login = RequireLogin(ctx.knobs, ctx.store, ctx.out);
      !login.ok()) {
    return login;
  }
  std::vector<std::string> errors;
  for (const std::string& name : *names) {
    Change result;
    absl::Status stored = ctx.store.Update([&](State& state) {
      Instance* instance = state.Find(name);
      if (instance == nullptr) {
        for (Instance& other : state.instances) {
          if (other.id == name) instance = &other;
        }
      }
      if (instance == nullptr) {
        result.error = NotFound(name);
      } else {
        result = change(*instance, state);
      }
      return absl::OkStatus();
    });
    if (!stored.ok()) result.error = stored;
    if (!result.error.ok()) {
      errors.emplace_back(result.error.message());
      continue;
    }
    if (result.teardown.has_value()) {
      RunTeardown(*result.teardown, ctx.knobs, ctx.log);
    }
    ctx.out.Out(ctx.out.stdout_piped() ? name + "\n" : result.message);
  }
  if (errors.empty()) return absl::OkStatus();
  if (errors.size() == 1 && names->size() == 1) return BrevError(errors[0]);
  return BrevError(JoinErrors(errors));
}

}  // namespace

absl::Status DeleteCommand(Context& ctx, const Args& args) {
  return ForEachName(
      ctx, args, {}, "delete", "Delete instances",
      [&ctx](Instance& instance, State& /*state*/) {
        Change change;
        // Unverified: deleting an instance already DELETING is accepted.
        change.teardown = TakeTeardown(instance);
        Schedule(instance, "DELETING", kGone, ctx.knobs.deletion, NowMillis());
        change.message = absl::StrCat(
            "Deleting instance ", instance.name,
            ". This can take a few minutes. Run 'brev ls' to check status\n");
        return change;
      });
}

absl::Status StopCommand(Context& ctx, const Args& args) {
  static const std::vector<FlagSpec> flags = {
      {"all", 'a', FlagType::kBool, "false", "stop all instances"}};
  return ForEachName(
      ctx, args, flags, "stop", "Stop an instance if it's running",
      [&ctx](Instance& instance, State& /*state*/) {
        Change change;
        // Unverified: the words of both refusals (stop checks first that
        // the instance can be stopped, commit f809c915).
        if (!instance.stoppable) {
          change.error = BrevError(absl::StrCat("instance ", instance.name,
                                                " does not support stopping"));
          return change;
        }
        if (instance.status != "RUNNING") {
          change.error = BrevError(absl::StrCat("instance ", instance.name,
                                                " cannot be stopped in state ",
                                                instance.status));
          return change;
        }
        change.teardown = TakeTeardown(instance);
        Schedule(instance, "STOPPING", "STOPPED", ctx.knobs.stop, NowMillis());
        // Unverified: the wording (older stop.go says "Dev environment").
        change.message = absl::StrCat(
            "Instance ", instance.name,
            " is stopping.\nNote: this can take a few seconds. Run 'brev "
            "ls' to check status\n");
        return change;
      });
}

absl::Status StartCommand(Context& ctx, const Args& args) {
  return ForEachName(
      ctx, args, {}, "start", "Start a stopped instance",
      [&ctx](Instance& instance, State&) {
        Change change;
        // Unverified: the refusal for an instance that is not stopped and
        // the message (start does not wait here).
        if (instance.status != "STOPPED") {
          change.error = BrevError(absl::StrCat("instance ", instance.name,
                                                " is not stopped (",
                                                instance.status, ")"));
          return change;
        }
        Schedule(instance, "STARTING", "RUNNING", ctx.knobs.start, NowMillis());
        change.message = absl::StrCat("Instance ", instance.name,
                                      " is starting. Run 'brev ls' to check "
                                      "status\n");
        return change;
      });
}

}  // namespace tao::fakes::brev
