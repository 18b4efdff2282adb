// The image pull as a person sees it: `tao-infer start --wait` under a
// pseudo-terminal (forkpty) against the real tao-inferd (local-docker), on
// a scripted Docker engine (in process) whose pull of three layers takes
// about two seconds. On the terminal the pull is one progress bar redrawn
// with '\r'; with stderr piped it is plain lines, bytes-only updates once
// per 10% step.
//
// The engine runs no model: its container has exited, so the wait ends
// with the service FAILED. Only the pull display is asserted, and that the
// CLI exits. Needs no Docker engine.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/child_process.h"
#include "tests/platforms/local_docker/fake_docker_engine.h"
#include "tests/support/free_port.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace tao::integration {
namespace {

using ::tao::platforms::local_docker::testing::FakeDockerEngine;
using ::testing::HasSubstr;
using ::testing::Not;

// Not on the fake engine until pulled.
constexpr char kImage[] = "registry.example/tao/progress-test:1";
constexpr int64_t kMiB = 1024 * 1024;

std::string Downloading(const std::string& id, int64_t current, int64_t total) {
  return absl::StrCat(R"({"status":"Downloading","progressDetail":{"current":)",
                      current, R"(,"total":)", total,
                      R"(},"progress":"[=>  ]","id":")", id, R"("})");
}

// A pull as the Docker Engine API streams it (POST /images/create): layers
// announced, then downloaded side by side (so every layer's size is known
// after the first round), each completed. The big layer ends slowly, in
// steps far below 10% of the whole, so that the server sends updates of
// only the bytes (the driver's message changes once per 10%).
std::vector<std::string> PullLines() {
  const std::vector<std::pair<std::string, int64_t>> layers = {
      {"a1b2c3d4e5f6", 30 * kMiB},
      {"b2c3d4e5f6a1", 200 * kMiB},
      {"c3d4e5f6a1b2", 50 * kMiB}};
  std::vector<std::string> lines = {
      R"({"status":"Pulling from tao/progress-test","id":"1"})"};
  for (const auto& [id, size] : layers) {
    lines.push_back(absl::StrCat(
        R"({"status":"Pulling fs layer","progressDetail":{},"id":")", id,
        R"("})"));
  }
  constexpr int kRounds = 6;
  for (int round = 1; round <= kRounds; ++round) {
    for (const auto& [id, size] : layers) {
      if (round == kRounds && id == layers[1].first) continue;  // below
      lines.push_back(Downloading(id, size * round / kRounds, size));
    }
  }
  // The last sixth of the big layer in 1/12 steps (about 2.8 MiB each).
  const auto& [big_id, big_size] = layers[1];
  constexpr int kCrawl = 12;
  for (int step = 1; step <= kCrawl; ++step) {
    const int64_t rest = big_size / kRounds;
    lines.push_back(
        Downloading(big_id, big_size - rest + rest * step / kCrawl, big_size));
  }
  for (const auto& [id, size] : layers) {
    lines.push_back(absl::StrCat(
        R"({"status":"Download complete","progressDetail":{},"id":")", id,
        R"("})"));
  }
  for (const auto& [id, size] : layers) {
    lines.push_back(
        absl::StrCat(R"({"status":"Pull complete","progressDetail":{},"id":")",
                     id, R"("})"));
  }
  lines.push_back(R"({"status":"Digest: sha256:0123456789abcdef"})");
  lines.push_back(absl::StrCat(
      R"({"status":"Status: Downloaded newer image for )", kImage, R"("})"));
  return lines;
}

FakeDockerEngine::Script EngineScript() {
  FakeDockerEngine::Script script;
  script.pull_lines = PullLines();
  // 41 lines: a pull of about two and a half seconds.
  script.pull_line_delay = absl::Milliseconds(60);
  script.container_status = "exited";
  script.container_exit_code = 1;
  script.container_logs = "fake Docker engine: this container runs no model\n";
  return script;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

struct TerminalRun {
  int exit_code = -1;
  // What reached the terminal: stdout, and stderr when it is the terminal.
  std::string terminal;
  // stderr when it is a pipe.
  std::string piped_err;
};

// Runs `argv` with stdin and stdout on a new pseudo-terminal of 80 columns,
// and stderr on it too or on a pipe; reads both until the program and
// everything it started closed them. Output post-processing is off on the
// terminal (no "\n" -> "\r\n"), so every '\r' read is one the program
// wrote. Kills it after `timeout`.
absl::StatusOr<TerminalRun> RunOnTerminal(const std::vector<std::string>& argv,
                                          bool stderr_on_terminal,
                                          absl::Duration timeout) {
  std::vector<std::string> args = argv;
  std::vector<char*> arg_ptrs = Pointers(args);
  int err_pipe[2] = {-1, -1};
  if (!stderr_on_terminal && pipe2(err_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  winsize size{};
  size.ws_row = 24;
  size.ws_col = 80;
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, &size);
  if (pid < 0) {
    const int error = errno;
    for (int fd : err_pipe) {
      if (fd >= 0) close(fd);
    }
    return absl::InternalError(absl::StrCat("forkpty: ", std::strerror(error)));
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    if (!stderr_on_terminal) dup2(err_pipe[1], STDERR_FILENO);
    termios modes;
    if (tcgetattr(STDOUT_FILENO, &modes) == 0) {
      modes.c_oflag &= ~OPOST;
      tcsetattr(STDOUT_FILENO, TCSANOW, &modes);
    }
    execve(arg_ptrs[0], arg_ptrs.data(), environ);
    _exit(127);
  }
  if (err_pipe[1] >= 0) close(err_pipe[1]);

  TerminalRun run;
  std::vector<pollfd> open = {{master, POLLIN, 0}};
  std::vector<std::string*> sinks = {&run.terminal};
  if (err_pipe[0] >= 0) {
    open.push_back({err_pipe[0], POLLIN, 0});
    sinks.push_back(&run.piped_err);
  }
  const absl::Time deadline = absl::Now() + timeout;
  bool timed_out = false;
  while (!open.empty()) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      timed_out = true;
      break;
    }
    const int ready =
        poll(open.data(), open.size(),
             static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < open.size();) {
      if (open[i].revents == 0) {
        ++i;
        continue;
      }
      char buffer[4096];
      const ssize_t n = read(open[i].fd, buffer, sizeof(buffer));
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
        ++i;
      } else if (n < 0 && errno == EINTR) {
        ++i;
      } else {
        // 0 (pipe closed) or EIO (no process holds the terminal any more).
        close(open[i].fd);
        open.erase(open.begin() + i);
        sinks.erase(sinks.begin() + i);
      }
    }
  }
  for (const pollfd& fd : open) close(fd.fd);
  if (timed_out) kill(pid, SIGKILL);
  absl::StatusOr<int> code = WaitChild(pid, absl::Seconds(10));
  if (timed_out || !code.ok()) {
    return absl::DeadlineExceededError(absl::StrCat(
        "tao-infer did not exit within ", absl::FormatDuration(timeout),
        "; terminal: ", run.terminal, "; stderr: ", run.piped_err));
  }
  run.exit_code = *code;
  return run;
}

// tao-inferd (local-docker only reachable, on the fake engine) in a
// temporary folder, stopped at the end.
class Server {
 public:
  explicit Server(const std::string& docker_host) {
    // The server takes the lowest free port of the range; the fake engine
    // publishes none, so any will do.
    const int first_port = tests::FreeTcpPort();
    const std::string log = dir_.File("server.log");
    log_path_ = log;
    absl::StatusOr<pid_t> pid = StartChild(
        {TAO_INFERD_PATH, "--listen=127.0.0.1:0",
         "--state-file=" + dir_.File("state.json"),
         std::string("--config-dir=") + TAO_CONFIG_DIR,
         absl::StrCat("--service-ports=", first_port, "-", first_port + 15),
         "--shutdown-grace-seconds=5"},
        {{"DOCKER_HOST", docker_host},
         {"DOCKER_NETWORK", "tao-pty-test"},
         {"TAO_SERVER_INSTANCE", "tao-pty-test"},
         {"TAO_DOCKER_GPUS", "none"},
         {"IMAGE_COSMOS_RL", kImage}},
        log);
    if (!pid.ok()) {
      ADD_FAILURE() << "tao-inferd did not start: " << pid.status();
      return;
    }
    pid_ = *pid;
    const std::string kMarker = "tao-inferd listening on port ";
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      const std::string text = Log();
      const size_t at = text.find(kMarker);
      if (at != std::string::npos) {
        const size_t start = at + kMarker.size();
        const size_t end = text.find(' ', start);
        int port = 0;
        if (end != std::string::npos &&
            absl::SimpleAtoi(text.substr(start, end - start), &port)) {
          address_ = absl::StrCat("127.0.0.1:", port);
          return;
        }
      }
      if (WaitChild(pid_, absl::ZeroDuration()).ok()) {
        pid_ = 0;
        break;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    ADD_FAILURE() << "tao-inferd is not listening:\n" << Log();
  }

  ~Server() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    if (!WaitChild(pid_, absl::Seconds(30)).ok()) {
      kill(pid_, SIGKILL);
      WaitChild(pid_, absl::Seconds(5)).IgnoreError();
    }
  }

  const std::string& address() const { return address_; }
  std::string Log() const { return ReadFileOrEmpty(log_path_); }

 private:
  tests::TempDir dir_{"tao-pty"};
  std::string log_path_;
  pid_t pid_ = 0;
  std::string address_;
};

struct Frame {
  int percent = 0;
  std::string done;
  std::string total;
};

// One bar frame: "pulling  [####----]  20%  56.0 MiB / 280.0 MiB".
bool ParseFrame(const std::string& text, Frame* frame) {
  static const std::regex kBar(
      R"(^pulling  \[[#-]{20}\] +([0-9]+)%  (.+) / (.+?) *$)");
  std::smatch match;
  if (!std::regex_match(text, match, kBar)) return false;
  frame->percent = std::stoi(match[1]);
  frame->done = match[2];
  frame->total = match[3];
  return true;
}

class CliProgressPtyTest : public ::testing::Test {
 protected:
  absl::StatusOr<TerminalRun> StartWait(bool stderr_on_terminal) {
    return RunOnTerminal(
        {TAO_INFER_CLI_PATH, "--server", server_.address(), "start", "--wait",
         "--platform", "local-docker", "--network-arch", "cosmos-rl",
         "--model-path", "/models/progress-test", "--timeout", "20"},
        stderr_on_terminal, absl::Seconds(60));
  }

  // The CLI got as far as the wait, whatever the server sends in it.
  void ExpectStarted(const TerminalRun& run) {
    EXPECT_THAT(run.terminal, HasSubstr("Started "))
        << "the CLI printed nothing of the start:\n"
        << run.terminal << run.piped_err << "\nserver log:\n"
        << server_.Log();
  }

  FakeDockerEngine engine_{EngineScript()};
  Server server_{engine_.docker_host()};
};

TEST_F(CliProgressPtyTest, TerminalShowsOneBarRedrawnInPlace) {
  ASSERT_FALSE(server_.address().empty());
  absl::StatusOr<TerminalRun> run = StartWait(/*stderr_on_terminal=*/true);
  ASSERT_TRUE(run.ok()) << run.status();
  ExpectStarted(*run);
  const std::string& out = run->terminal;

  // Every frame starts with '\r'; the run of frames is one line.
  const size_t first = out.find("\rpulling  [");
  ASSERT_NE(first, std::string::npos)
      << "no bytes in events: the CLI drew no progress bar (does the server "
         "send PHASE_PULLING events with bytes_total?). Terminal:\n"
      << out << "\nserver log:\n"
      << server_.Log();
  const size_t line_end = out.find('\n', first);
  ASSERT_NE(line_end, std::string::npos) << "the bar's line was not ended";
  const std::string bar_line = out.substr(first, line_end - first);
  EXPECT_THAT(out.substr(line_end), Not(HasSubstr("\rpulling  [")))
      << "the bar was drawn on more than one line:\n"
      << out;

  std::vector<Frame> frames;
  for (absl::string_view text :
       absl::StrSplit(bar_line, '\r', absl::SkipEmpty())) {
    Frame frame;
    ASSERT_TRUE(ParseFrame(std::string(text), &frame))
        << "not a bar frame: '" << text << "'";
    frames.push_back(frame);
  }
  ASSERT_GE(frames.size(), 2u) << "the bar was never redrawn:\n" << bar_line;
  // The total may grow while layers are announced; from the final total on
  // the percentage only rises, to 100% of all of it.
  const Frame& last = frames.back();
  EXPECT_EQ(last.percent, 100) << bar_line;
  EXPECT_EQ(last.done, last.total) << bar_line;
  EXPECT_EQ(last.total, "280.0 MiB") << bar_line;
  std::vector<int> percents;
  for (const Frame& frame : frames) {
    if (frame.total == last.total) percents.push_back(frame.percent);
  }
  ASSERT_GE(percents.size(), 2u) << "no frame before 100% of the final total:\n"
                                 << bar_line;
  EXPECT_LT(percents.front(), 100) << bar_line;
  EXPECT_TRUE(std::is_sorted(percents.begin(), percents.end())) << bar_line;
}

TEST_F(CliProgressPtyTest, PipedStderrGetsPlainLinesPerTenPercent) {
  ASSERT_FALSE(server_.address().empty());
  absl::StatusOr<TerminalRun> run = StartWait(/*stderr_on_terminal=*/false);
  ASSERT_TRUE(run.ok()) << run.status();
  ExpectStarted(*run);
  EXPECT_THAT(run->terminal, Not(HasSubstr("\r")));
  EXPECT_THAT(run->piped_err, Not(HasSubstr("\r")));
  EXPECT_THAT(run->piped_err, Not(HasSubstr("pulling  [")));

  // "[   1.2s] PENDING  pulling   pulling: <message>   50%  140.0 MiB / 280.0
  // MiB": what the event says (its message may be new news), its bytes.
  static const std::regex kLine(
      R"(^\[ *[0-9.]+s\] ([A-Z]+ +pulling\b.*?)  +([0-9]+)%  .+ / .+$)");
  struct PullLine {
    std::string news;
    int percent;
  };
  std::vector<PullLine> pulls;
  const std::vector<std::string> lines = absl::StrSplit(run->terminal, '\n');
  for (const std::string& line : lines) {
    std::smatch match;
    if (std::regex_match(line, match, kLine)) {
      pulls.push_back({match[1], std::stoi(match[2])});
    }
  }
  ASSERT_FALSE(pulls.empty())
      << "no bytes in events: no pull line with a percentage (does the "
         "server send PHASE_PULLING events with bytes_total?). Output:\n"
      << run->terminal << "\nserver log:\n"
      << server_.Log();
  // Updates of only the bytes (the same news as the line before) are
  // printed once per 10% step; the pull ends at 100%.
  for (size_t i = 1; i < pulls.size(); ++i) {
    if (pulls[i].news != pulls[i - 1].news) continue;
    EXPECT_GT(pulls[i].percent / 10, pulls[i - 1].percent / 10)
        << "two lines for one 10% step:\n"
        << run->terminal;
  }
  EXPECT_EQ(pulls.back().percent, 100) << run->terminal;
}

}  // namespace
}  // namespace tao::integration
