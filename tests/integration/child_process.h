// Child processes for end-to-end tests: a long-running one (tao-inferd)
// whose output goes to a file, and a run-to-completion one (tao-infer) whose
// stdout and stderr are captured separately.
#ifndef TAO_TESTS_INTEGRATION_CHILD_PROCESS_H_
#define TAO_TESTS_INTEGRATION_CHILD_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tao::integration {

// Starts `argv` with the test's environment plus `env` (which wins), in its
// own process group, stdout and stderr appended to `output_path`.
absl::StatusOr<pid_t> StartChild(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env,
                                 const std::string& output_path);

// Waits up to `timeout` for `pid` to exit; returns its exit code (128+signal
// when killed) or DEADLINE_EXCEEDED.
absl::StatusOr<int> WaitChild(pid_t pid, absl::Duration timeout);

struct RunOutput {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `argv` to completion with `stdin_text` on its standard input (not a
// terminal). Kills it and fails after `timeout`.
absl::StatusOr<RunOutput> RunChild(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env,
    const std::string& stdin_text, absl::Duration timeout);

std::string ReadFileOrEmpty(const std::string& path);

}  // namespace tao::integration

#endif  // TAO_TESTS_INTEGRATION_CHILD_PROCESS_H_
