#include "tests/fakes/brev/command_helpers.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/fakes/brev/ssh_files.h"
#include "tests/fakes/brev/sshd_backing.h"

namespace tao::fakes::brev {
namespace {

std::string ReadAllStdin() {
  std::string text;
  char buffer[4096];
  while (true) {
    const ssize_t n = read(STDIN_FILENO, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

absl::StatusOr<std::vector<std::string>> InstanceNames(
    Context& ctx, const std::vector<std::string>& args) {
  std::vector<std::string> names = args;
  if (IsPiped(STDIN_FILENO)) {
    std::vector<std::string> read;
    for (absl::string_view line : absl::StrSplit(ReadAllStdin(), '\n')) {
      const std::string name(absl::StripAsciiWhitespace(line));
      if (!name.empty()) read.push_back(name);
    }
    ctx.log.RecordEvent({{"event", "stdin_names"}, {"names", read}});
    names.insert(names.end(), read.begin(), read.end());
  }
  if (names.empty()) {
    return ValidationError(
        "instance name required: provide as argument or pipe from another "
        "command");
  }
  return names;
}

absl::Status RefreshSshFiles(Context& ctx) {
  absl::StatusOr<State> state = ctx.store.Read();
  if (!state.ok()) return state.status();
  std::vector<RunningInstance> running;
  for (const Instance& instance : state->instances) {
    if (instance.status == "RUNNING") {
      running.push_back({instance.name, instance.id});
    }
  }
  absl::StatusOr<SshdBacking> sshd = FindSshdBacking(ctx.knobs);
  if (!sshd.ok() && !running.empty()) return sshd.status();
  return WriteBrevSshFiles(ctx.knobs.home, running,
                           sshd.ok() ? &*sshd : nullptr);
}

absl::Status NotFound(const std::string& name) {
  return BrevError(absl::StrCat("instance with id/name ", name, " not found"));
}

std::optional<Instance> Lookup(Context& ctx, const std::string& name) {
  absl::StatusOr<State> state = ctx.store.Read();
  if (!state.ok()) return std::nullopt;
  for (const Instance& instance : state->instances) {
    if (instance.name == name || instance.id == name) return instance;
  }
  return std::nullopt;
}

std::string PollStatus(Context& ctx, const std::string& name,
                       const std::vector<std::string>& wanted,
                       absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (true) {
    std::optional<Instance> instance = Lookup(ctx, name);
    if (!instance.has_value()) return "";
    for (const std::string& status : wanted) {
      if (instance->status == status) return status;
    }
    if (absl::Now() >= give_up) return "";
    absl::SleepFor(std::min(ctx.knobs.poll, give_up - absl::Now()));
  }
}

std::string JoinErrors(const std::vector<std::string>& errors) {
  if (errors.size() == 1) {
    return absl::StrCat("1 error occurred:\n\t* ", errors[0], "\n\n");
  }
  return absl::StrCat(errors.size(), " errors occurred:\n\t* ",
                      absl::StrJoin(errors, "\n\t* "), "\n\n");
}

}  // namespace tao::fakes::brev
