// Starting and stopping child processes without a shell.
#ifndef TAO_PLATFORMS_COMMON_SUBPROCESS_H_
#define TAO_PLATFORMS_COMMON_SUBPROCESS_H_

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tao::platforms {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH of `env`
  // The complete environment of the child (nothing is inherited).
  std::map<std::string, std::string> env;
  std::string working_dir;  // empty: inherit
  // stdout and stderr are appended to this file; empty: /dev/null.
  std::string output_path;
};

// Starts a child in a new session (so that its whole process group can be
// signalled) and returns its pid. Errors: INTERNAL with errno text.
absl::StatusOr<pid_t> Spawn(const SpawnOptions& options);

struct ProcessStatus {
  bool running = false;
  bool has_exit_code = false;  // known only for our own children
  int exit_code = 0;           // 128+signal when killed by a signal
};

// Reports whether `pid` still runs. For a child of this process it also
// reaps it and reports its exit code; for other processes (children of an
// earlier server) it can only tell alive or gone.
ProcessStatus CheckProcess(pid_t pid);

// SIGTERM to the process group of `pid`, then SIGKILL after `grace`.
// A process already gone is OK.
absl::Status StopProcessGroup(pid_t pid, absl::Duration grace);

struct RunResult {
  int exit_code = 0;
  // stdout, and stderr interleaved with it unless RunOptions::
  // separate_stderr.
  std::string output;
  std::string error_output;  // stderr, with separate_stderr only
};

struct RunOptions {
  absl::Duration timeout = absl::Seconds(60);
  // Standard input: this text through a pipe (small: it must fit the pipe
  // buffer), or, when unset, /dev/null, a character device, which tools
  // that read names from a piped stdin (the brev CLI) take as no input.
  std::optional<std::string> stdin_text;
  // stderr into RunResult::error_output, so that stdout stays parseable.
  bool separate_stderr = false;
};

// Runs a command to completion, capturing its output, with the server's
// environment; argv[0] is looked up in the server's PATH. `stdin_text` is
// written whole before any output is read, so keep it small (it must fit
// the pipe buffer). Errors: DEADLINE_EXCEEDED (the child and its process
// group are killed), INTERNAL.
absl::StatusOr<RunResult> Run(const std::vector<std::string>& argv,
                              absl::Duration timeout,
                              const std::string& stdin_text = "");

// Run with `options`. Errors as Run's.
absl::StatusOr<RunResult> Run(const std::vector<std::string>& argv,
                              const RunOptions& options);

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_COMMON_SUBPROCESS_H_
