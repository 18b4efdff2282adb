// Runs a program the way a driver runs `brev`: a real process with stdin
// /dev/null (or a pipe carrying some text) and stdout and stderr on pipes.
// It waits for the PROCESS to exit, not for end of output: a port-forward
// ssh brev leaves behind may keep the pipes open. The child gets a process
// group of its own, killed at the timeout.
#ifndef TAO_TESTS_FAKES_BREV_PROCESS_RUN_H_
#define TAO_TESTS_FAKES_BREV_PROCESS_RUN_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tao::fakes::brev {

struct ProcessSpec {
  std::vector<std::string> argv;           // argv[0] is a path
  std::map<std::string, std::string> env;  // the whole environment
  std::optional<std::string> stdin_text;   // unset: /dev/null
  absl::Duration timeout = absl::Seconds(120);
};

struct ProcessResult {
  int exit_code = -1;  // 128+signal when killed
  std::string out;
  std::string err;
  bool timed_out = false;
  absl::Duration elapsed;
};

// INTERNAL when the process cannot be started.
absl::StatusOr<ProcessResult> RunProcess(const ProcessSpec& spec);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_PROCESS_RUN_H_
