#include "tests/fakes/brev/process_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tao::fakes::brev {
namespace {

// Reads what `fd` has now into `out`; false once it is at end of file.
bool ReadAvailable(int fd, std::string* out) {
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0;  // EAGAIN: open, nothing yet; 0: end of file
  }
}

// Reads both pipes for up to `wait` (0: only what is there now).
void Pump(int out_fd, int err_fd, ProcessResult* result, int wait_ms,
          bool* out_open, bool* err_open) {
  pollfd fds[2] = {{*out_open ? out_fd : -1, POLLIN, 0},
                   {*err_open ? err_fd : -1, POLLIN, 0}};
  if (poll(fds, 2, wait_ms) <= 0) return;
  if (*out_open && fds[0].revents != 0) {
    *out_open = ReadAvailable(out_fd, &result->out);
  }
  if (*err_open && fds[1].revents != 0) {
    *err_open = ReadAvailable(err_fd, &result->err);
  }
}

}  // namespace

absl::StatusOr<ProcessResult> RunProcess(const ProcessSpec& spec) {
  if (spec.argv.empty()) return absl::InvalidArgumentError("empty argv");
  // A child that exits before reading its input must not kill the test.
  signal(SIGPIPE, SIG_IGN);
  int out[2], err[2], in[2] = {-1, -1};
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
      (spec.stdin_text.has_value() && pipe2(in, O_CLOEXEC) != 0)) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  std::vector<std::string> argv = spec.argv, env;
  for (const auto& [name, value] : spec.env) env.push_back(name + "=" + value);
  std::vector<char*> argv_c, env_c;
  for (std::string& a : argv) argv_c.push_back(a.data());
  for (std::string& e : env) env_c.push_back(e.data());
  argv_c.push_back(nullptr);
  env_c.push_back(nullptr);

  const absl::Time started = absl::Now();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    const int stdin_fd =
        spec.stdin_text.has_value() ? in[0] : open("/dev/null", O_RDONLY);
    dup2(stdin_fd, STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    execve(argv_c[0], argv_c.data(), env_c.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  if (spec.stdin_text.has_value()) {
    close(in[0]);
    const std::string& text = *spec.stdin_text;
    ssize_t ignored = write(in[1], text.data(), text.size());
    (void)ignored;
    close(in[1]);
  }
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);

  ProcessResult result;
  bool out_open = true, err_open = true;
  int status = 0;
  const absl::Time give_up = started + spec.timeout;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (absl::Now() > give_up) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    Pump(out[0], err[0], &result, 20, &out_open, &err_open);
  }
  // What the process wrote before it exited is in the pipes now; whatever
  // it left running may hold them open, so do not wait for end of file.
  Pump(out[0], err[0], &result, 0, &out_open, &err_open);
  close(out[0]);
  close(err[0]);
  result.elapsed = absl::Now() - started;
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace tao::fakes::brev
