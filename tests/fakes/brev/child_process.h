// The ssh children brev runs, with brev's own stdio: exec's ssh writes
// straight to the caller's stdout and stderr with stdin not attached
// (exec.go: "Don't attach stdin"), and port-forward's ssh is started with
// all three of brev's streams, in brev's process group, and never waited
// for (portforward.go cmd.Start()). platforms/common/subprocess.h captures
// output or starts a new session, which is what brev does not do; its
// CheckProcess is used for liveness.
#ifndef TAO_TESTS_FAKES_BREV_CHILD_PROCESS_H_
#define TAO_TESTS_FAKES_BREV_CHILD_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tao::fakes::brev {

enum class ChildStdio {
  kInheritOutput,  // stdin /dev/null, stdout and stderr inherited
  kInheritAll,     // stdin, stdout and stderr inherited
  kSilent,         // all three /dev/null
};

// Runs argv (argv[0] looked up in PATH) to completion. Returns its exit
// code (128+signal when killed), or INTERNAL when it cannot be started.
absl::StatusOr<int> RunChild(const std::vector<std::string>& argv,
                             ChildStdio stdio);

// Starts argv and returns its pid at once; it is never waited for.
absl::StatusOr<pid_t> StartChild(const std::vector<std::string>& argv,
                                 ChildStdio stdio);

// The process's start time in clock ticks since boot (/proc/PID/stat
// field 22); 0 when there is no such process.
uint64_t ProcessStartTicks(pid_t pid);

// True while `pid` runs (not a zombie) and is the process that started at
// `start_ticks`, not a later one that reused the pid.
bool IsSameProcessRunning(pid_t pid, uint64_t start_ticks);

// SIGTERM, then SIGKILL after a second, to that process only (never a
// pattern, never a group). Nothing when it is gone or the pid was reused.
void KillProcess(pid_t pid, uint64_t start_ticks);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_CHILD_PROCESS_H_
