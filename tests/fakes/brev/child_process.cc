#include "tests/fakes/brev/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "platforms/common/subprocess.h"

extern char** environ;

namespace tao::fakes::brev {
namespace {

absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv,
                            ChildStdio stdio) {
  if (argv.empty()) return absl::InvalidArgumentError("empty argv");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdio != ChildStdio::kInheritAll) {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
  }
  if (stdio == ChildStdio::kSilent) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                     O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                     O_WRONLY, 0);
  }
  std::vector<std::string> storage = argv;
  std::vector<char*> args;
  for (std::string& arg : storage) args.push_back(arg.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  const int error =
      posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return absl::InternalError(
        absl::StrCat("cannot start ", argv[0], ": ", std::strerror(error)));
  }
  return pid;
}

}  // namespace

absl::StatusOr<int> RunChild(const std::vector<std::string>& argv,
                             ChildStdio stdio) {
  absl::StatusOr<pid_t> pid = Spawn(argv, stdio);
  if (!pid.ok()) return pid.status();
  int status = 0;
  while (waitpid(*pid, &status, 0) < 0) {
    if (errno != EINTR) return absl::InternalError("waitpid failed");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

absl::StatusOr<pid_t> StartChild(const std::vector<std::string>& argv,
                                 ChildStdio stdio) {
  return Spawn(argv, stdio);
}

uint64_t ProcessStartTicks(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(text.substr(paren + 2), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); starttime is field 22.
  uint64_t ticks = 0;
  if (fields.size() < 20 || !absl::SimpleAtoi(fields[19], &ticks)) return 0;
  return ticks;
}

bool IsSameProcessRunning(pid_t pid, uint64_t start_ticks) {
  if (pid <= 0 || !platforms::CheckProcess(pid).running) return false;
  return start_ticks == 0 || ProcessStartTicks(pid) == start_ticks;
}

void KillProcess(pid_t pid, uint64_t start_ticks) {
  if (!IsSameProcessRunning(pid, start_ticks)) return;
  kill(pid, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    if (!IsSameProcessRunning(pid, start_ticks)) return;
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid, SIGKILL);
}

}  // namespace tao::fakes::brev
