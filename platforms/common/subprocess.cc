#include "platforms/common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"

namespace tao::platforms {
namespace {

absl::Status ErrnoError(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// Builds a NULL-terminated char* array whose strings live in `storage`.
std::vector<char*> CStrings(std::vector<std::string>& storage) {
  std::vector<char*> out;
  for (std::string& s : storage) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Looks `file` up in the PATH entry of `env` (execvpe would use ours).
std::string ResolveInPath(const std::string& file,
                          const std::map<std::string, std::string>& env) {
  if (file.find('/') != std::string::npos) return file;
  auto it = env.find("PATH");
  std::string path = it == env.end() ? "/usr/bin:/bin" : it->second;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string candidate =
        absl::StrCat(path.substr(start, end - start), "/", file);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return file;
}

// Writes `data` to a pipe whose reader may be gone. A child that exits
// without reading its input must not kill the server with SIGPIPE: the
// signal is blocked for this thread and a pending one is discarded.
void WriteWithoutSigpipe(int fd, const std::string& data) {
  if (data.empty()) return;
  sigset_t pipe_set;
  sigset_t old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  sigset_t pending;
  if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1 &&
      sigismember(&old_set, SIGPIPE) == 0) {
    const timespec no_wait{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &no_wait) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
}

}  // namespace

absl::StatusOr<pid_t> Spawn(const SpawnOptions& options) {
  if (options.argv.empty()) return absl::InvalidArgumentError("empty argv");
  std::vector<std::string> argv = options.argv;
  argv[0] = ResolveInPath(argv[0], options.env);
  std::vector<std::string> env;
  for (const auto& [k, v] : options.env) env.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> argv_c = CStrings(argv);
  std::vector<char*> env_c = CStrings(env);
  const std::string out_path =
      options.output_path.empty() ? "/dev/null" : options.output_path;

  // Closed by the child's exec (or exit): once the parent reads EOF, the
  // child's session exists, so StopProcessGroup right after Spawn reaches it.
  int started[2];
  if (pipe2(started, O_CLOEXEC) != 0) return ErrnoError("pipe");
  pid_t pid = fork();
  if (pid < 0) {
    absl::Status error = ErrnoError("fork");
    close(started[0]);
    close(started[1]);
    return error;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    setsid();
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    int in = open("/dev/null", O_RDONLY);
    if (out < 0 || in < 0) _exit(127);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    if (!options.working_dir.empty() &&
        chdir(options.working_dir.c_str()) != 0) {
      _exit(127);
    }
    execve(argv_c[0], argv_c.data(), env_c.data());
    _exit(127);
  }
  close(started[1]);
  char ignored;
  while (read(started[0], &ignored, 1) < 0 && errno == EINTR) {
  }
  close(started[0]);
  return pid;
}

namespace {

// True when /proc says `pid` has exited but is not reaped yet.
bool IsZombie(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat)),
                   std::istreambuf_iterator<char>());
  // Format: "pid (comm) S ..."; comm may hold spaces and parentheses.
  const size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() &&
         text[paren + 2] == 'Z';
}

}  // namespace

ProcessStatus CheckProcess(pid_t pid) {
  ProcessStatus status;
  int wstatus = 0;
  pid_t r = waitpid(pid, &wstatus, WNOHANG);
  if (r == pid) {
    status.has_exit_code = true;
    status.exit_code =
        WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    return status;
  }
  if (r == 0) {
    status.running = true;
    return status;
  }
  // Not our child (ECHILD): all we can tell is whether it exists. A zombie
  // (exited, waiting for a parent that may be slow to reap it) is gone.
  status.running = (kill(pid, 0) == 0 || errno == EPERM) && !IsZombie(pid);
  return status;
}

absl::Status StopProcessGroup(pid_t pid, absl::Duration grace) {
  if (kill(-pid, SIGTERM) != 0 && errno == ESRCH) {
    CheckProcess(pid);  // reap a zombie child, if any
    return absl::OkStatus();
  }
  absl::Time give_up = absl::Now() + grace;
  while (absl::Now() < give_up) {
    if (!CheckProcess(pid).running && kill(-pid, 0) != 0) {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(-pid, SIGKILL);
  for (int i = 0; i < 100 && CheckProcess(pid).running; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::OkStatus();
}

absl::StatusOr<RunResult> Run(const std::vector<std::string>& argv,
                              absl::Duration timeout,
                              const std::string& stdin_text) {
  RunOptions options;
  options.timeout = timeout;
  options.stdin_text = stdin_text;
  return Run(argv, options);
}

absl::StatusOr<RunResult> Run(const std::vector<std::string>& argv,
                              const RunOptions& options) {
  if (argv.empty()) return absl::InvalidArgumentError("empty argv");
  // [0] read end, [1] write end; -1 when unused.
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  int in_pipe[2] = {-1, -1};
  auto close_all = [&] {
    for (int* p : {out_pipe, err_pipe, in_pipe}) {
      for (int i : {0, 1}) {
        if (p[i] >= 0) close(p[i]);
        p[i] = -1;
      }
    }
  };
  if (pipe2(out_pipe, O_CLOEXEC) != 0 ||
      (options.separate_stderr && pipe2(err_pipe, O_CLOEXEC) != 0) ||
      (options.stdin_text.has_value() && pipe2(in_pipe, O_CLOEXEC) != 0)) {
    absl::Status error = ErrnoError("pipe");
    close_all();
    return error;
  }
  int dev_null = -1;
  if (!options.stdin_text.has_value()) {
    dev_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (dev_null < 0) {
      absl::Status error = ErrnoError("open /dev/null");
      close_all();
      return error;
    }
  }
  std::vector<std::string> args = argv;
  std::vector<char*> argv_c = CStrings(args);

  pid_t pid = fork();
  if (pid < 0) {
    absl::Status error = ErrnoError("fork");
    close_all();
    if (dev_null >= 0) close(dev_null);
    return error;
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(dev_null >= 0 ? dev_null : in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1] >= 0 ? err_pipe[1] : out_pipe[1], STDERR_FILENO);
    execvp(argv_c[0], argv_c.data());
    _exit(127);
  }
  // Also in the parent, so that the group exists before a timeout kills it
  // (whichever of the two runs first wins; the other call is harmless).
  setpgid(pid, pid);
  if (dev_null >= 0) close(dev_null);
  for (int* p : {out_pipe, err_pipe}) {
    if (p[1] >= 0) close(p[1]);
    p[1] = -1;
  }
  if (in_pipe[0] >= 0) {
    close(in_pipe[0]);
    in_pipe[0] = -1;
    // Small inputs (scripts, keys) fit the pipe buffer; write then close.
    WriteWithoutSigpipe(in_pipe[1], *options.stdin_text);
    close(in_pipe[1]);
    in_pipe[1] = -1;
  }

  RunResult result;
  const absl::Time deadline = absl::Now() + options.timeout;
  char buf[4096];
  bool timed_out = false;
  // Reads both streams until each has ended.
  while (out_pipe[0] >= 0 || err_pipe[0] >= 0) {
    int wait_ms =
        static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (wait_ms <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int n = poll(pfds, 2, wait_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    for (int i : {0, 1}) {
      if (pfds[i].fd < 0 || pfds[i].revents == 0) continue;
      ssize_t got = read(pfds[i].fd, buf, sizeof(buf));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        int* pipe_fds = i == 0 ? out_pipe : err_pipe;
        close(pipe_fds[0]);
        pipe_fds[0] = -1;
        continue;
      }
      (i == 0 ? result.output : result.error_output)
          .append(buf, static_cast<size_t>(got));
    }
  }
  close_all();
  if (timed_out) kill(-pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return absl::DeadlineExceededError(
        absl::StrCat(argv[0], " did not finish within ",
                     absl::FormatDuration(options.timeout)));
  }
  result.exit_code =
      WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  return result;
}

}  // namespace tao::platforms
