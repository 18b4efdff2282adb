#include "tests/integration/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace tao::integration {
namespace {

std::vector<std::string> MergedEnvironment(
    const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const char* equals = std::strchr(*entry, '=');
    if (equals == nullptr) continue;
    merged[std::string(*entry, static_cast<size_t>(equals - *entry))] =
        equals + 1;
  }
  for (const auto& [name, value] : overrides) merged[name] = value;
  std::vector<std::string> result;
  for (const auto& [name, value] : merged) {
    result.push_back(absl::StrCat(name, "=", value));
  }
  return result;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// Forks a child running argv with the given fds as stdin/stdout/stderr.
absl::StatusOr<pid_t> ForkExec(const std::vector<std::string>& argv,
                               const std::map<std::string, std::string>& env,
                               int in_fd, int out_fd, int err_fd) {
  std::vector<std::string> args = argv;
  std::vector<std::string> envs = MergedEnvironment(env);
  std::vector<char*> arg_ptrs = Pointers(args);
  std::vector<char*> env_ptrs = Pointers(envs);
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError(std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execve(arg_ptrs[0], arg_ptrs.data(), env_ptrs.data());
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

}  // namespace

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<pid_t> StartChild(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env,
                                 const std::string& output_path) {
  int out = open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  int in = open("/dev/null", O_RDONLY);
  if (out < 0 || in < 0) {
    return absl::InternalError(
        absl::StrCat("open ", output_path, ": ", std::strerror(errno)));
  }
  absl::StatusOr<pid_t> pid = ForkExec(argv, env, in, out, out);
  close(out);
  close(in);
  return pid;
}

absl::StatusOr<int> WaitChild(pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    int status = 0;
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (done < 0) return absl::InternalError(std::strerror(errno));
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "pid ", pid, " still runs after ", absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

absl::StatusOr<RunOutput> RunChild(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env,
    const std::string& stdin_text, absl::Duration timeout) {
  char dir_template[] = "/tmp/tao-run-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    return absl::InternalError(std::strerror(errno));
  }
  const std::string dir = dir_template;
  const std::string in_path = dir + "/stdin";
  const std::string out_path = dir + "/stdout";
  const std::string err_path = dir + "/stderr";
  std::ofstream(in_path, std::ios::binary) << stdin_text;
  int in = open(in_path.c_str(), O_RDONLY);
  int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  absl::StatusOr<pid_t> pid = ForkExec(argv, env, in, out, err);
  close(in);
  close(out);
  close(err);
  if (!pid.ok()) return pid.status();
  absl::StatusOr<int> code = WaitChild(*pid, timeout);
  if (!code.ok()) {
    kill(-*pid, SIGKILL);
    WaitChild(*pid, absl::Seconds(5)).IgnoreError();
  }
  RunOutput output;
  output.out = ReadFileOrEmpty(out_path);
  output.err = ReadFileOrEmpty(err_path);
  for (const std::string& path : {in_path, out_path, err_path}) {
    unlink(path.c_str());
  }
  rmdir(dir.c_str());
  if (!code.ok()) {
    return absl::DeadlineExceededError(absl::StrCat(code.status().message(),
                                                    "; stdout: ", output.out,
                                                    "; stderr: ", output.err));
  }
  output.exit_code = *code;
  return output;
}

}  // namespace tao::integration
