// Spawn/CheckProcess/StopProcessGroup manage long-running children in their
// own session; Run runs a command to completion with a timeout.
#include "platforms/common/subprocess.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace tao::platforms {
namespace {

using ::testing::HasSubstr;

// Generous bound for things that happen "soon"; only reached on failure.
constexpr absl::Duration kPatience = absl::Seconds(30);

using tests::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Polls our child until it has exited and been reaped.
ProcessStatus WaitForExit(pid_t pid) {
  const absl::Time give_up = absl::Now() + kPatience;
  ProcessStatus status = CheckProcess(pid);
  while (status.running && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
    status = CheckProcess(pid);
  }
  return status;
}

// A pid written by a child script, once the whole line is there.
pid_t WaitForPidFile(const std::string& path) {
  const absl::Time give_up = absl::Now() + kPatience;
  while (absl::Now() < give_up) {
    std::string text = ReadFile(path);
    int pid = 0;
    if (!text.empty() && text.back() == '\n' &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &pid)) {
      return pid;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  ADD_FAILURE() << "no pid in " << path;
  return -1;
}

// One-letter state from /proc/<pid>/stat, or '\0' when there is no process.
char ProcState(pid_t pid) {
  std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return '\0';
  return stat[paren + 2];
}

// Running or sleeping; a zombie (whoever must reap it) counts as dead.
bool IsAlive(pid_t pid) {
  char state = ProcState(pid);
  return state != '\0' && state != 'Z' && state != 'X';
}

bool WaitUntilDead(pid_t pid) {
  const absl::Time give_up = absl::Now() + kPatience;
  while (IsAlive(pid) && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  return !IsAlive(pid);
}

std::map<std::string, std::string> BasicEnv() {
  return {{"PATH", "/usr/bin:/bin"}};
}

TEST(SpawnTest, NewSessionExactEnvAndOutputFile) {
  TempDir dir;
  // A variable of ours that must not leak into the child.
  setenv("TAO_SUBPROCESS_TEST_LEAK", "leaked", 1);
  SpawnOptions options;
  options.argv = {"sh", "-c",
                  "echo FOO=$FOO; echo LEAK=${TAO_SUBPROCESS_TEST_LEAK-unset}; "
                  "echo to-stderr >&2; "
                  // Fields 5 and 6 of /proc/<pid>/stat: process group, session.
                  "cut -d' ' -f5,6 /proc/$$/stat"};
  options.env = BasicEnv();
  options.env["FOO"] = "bar baz";
  options.output_path = dir.File("out.log");

  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  ProcessStatus status = WaitForExit(*pid);
  ASSERT_FALSE(status.running);
  EXPECT_TRUE(status.has_exit_code);
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_EQ(ReadFile(options.output_path),
            absl::StrCat("FOO=bar baz\nLEAK=unset\nto-stderr\n", *pid, " ",
                         *pid, "\n"));
}

TEST(SpawnTest, OutputFileIsOwnerOnly) {
  TempDir dir;
  SpawnOptions options;
  options.argv = {"true"};
  options.env = BasicEnv();
  options.output_path = dir.File("out.log");
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  WaitForExit(*pid);
  struct stat st {};
  ASSERT_EQ(stat(options.output_path.c_str(), &st), 0);
  // Service logs may hold secrets the backend printed.
  EXPECT_EQ(st.st_mode & 077, 0u);
}

TEST(SpawnTest, OutputIsAppended) {
  TempDir dir;
  const std::string log = dir.File("out.log");
  for (const char* word : {"one", "two"}) {
    SpawnOptions options;
    options.argv = {"echo", word};
    options.env = BasicEnv();
    options.output_path = log;
    absl::StatusOr<pid_t> pid = Spawn(options);
    ASSERT_TRUE(pid.ok()) << pid.status();
    EXPECT_EQ(WaitForExit(*pid).exit_code, 0);
  }
  EXPECT_EQ(ReadFile(log), "one\ntwo\n");
}

TEST(SpawnTest, Argv0IsLookedUpInTheChildsPath) {
  TempDir dir;
  const std::string bin = dir.File("bin");
  ASSERT_TRUE(std::filesystem::create_directory(bin));
  const std::string script = bin + "/tao-test-entry-point";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\necho entry-point \"$@\"\n";
  }
  ASSERT_EQ(chmod(script.c_str(), 0755), 0);

  SpawnOptions options;
  options.argv = {"tao-test-entry-point", "a b", "c"};
  options.env = {{"PATH", bin + ":/usr/bin:/bin"}};
  options.output_path = dir.File("out.log");
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_EQ(WaitForExit(*pid).exit_code, 0);
  EXPECT_EQ(ReadFile(options.output_path), "entry-point a b c\n");
}

TEST(SpawnTest, WithoutPathUsesDefaultDirectories) {
  TempDir dir;
  SpawnOptions options;
  options.argv = {"echo", "found"};
  options.output_path = dir.File("out.log");
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_EQ(WaitForExit(*pid).exit_code, 0);
  EXPECT_EQ(ReadFile(options.output_path), "found\n");
}

TEST(SpawnTest, RunsInWorkingDir) {
  TempDir dir;
  SpawnOptions options;
  options.argv = {"sh", "-c", "pwd -P"};
  options.env = BasicEnv();
  options.working_dir = dir.path();
  options.output_path = dir.File("out.log");
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_EQ(WaitForExit(*pid).exit_code, 0);
  EXPECT_EQ(ReadFile(options.output_path),
            std::filesystem::canonical(dir.path()).string() + "\n");
}

TEST(SpawnTest, EmptyArgvIsInvalid) {
  EXPECT_EQ(Spawn(SpawnOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SpawnTest, ChildFailuresExitWith127) {
  TempDir dir;
  struct Case {
    std::string name;
    std::vector<std::string> argv;
    std::string working_dir;
  };
  const Case cases[] = {
      {"missing program", {"tao-no-such-program-anywhere"}, ""},
      {"missing absolute program", {dir.File("nothing")}, ""},
      {"missing working dir", {"true"}, dir.File("no-such-dir")},
  };
  for (const Case& c : cases) {
    SpawnOptions options;
    options.argv = c.argv;
    options.env = BasicEnv();
    options.working_dir = c.working_dir;
    absl::StatusOr<pid_t> pid = Spawn(options);
    ASSERT_TRUE(pid.ok()) << c.name << ": " << pid.status();
    ProcessStatus status = WaitForExit(*pid);
    EXPECT_TRUE(status.has_exit_code) << c.name;
    EXPECT_EQ(status.exit_code, 127) << c.name;
  }
}

TEST(CheckProcessTest, ExitCodes) {
  struct Case {
    std::string script;
    int want;
  };
  const Case cases[] = {
      {"exit 0", 0},
      {"exit 7", 7},
      {"exit 255", 255},
      {"kill -KILL $$", 128 + SIGKILL},
      {"kill -TERM $$", 128 + SIGTERM},
  };
  for (const Case& c : cases) {
    SpawnOptions options;
    options.argv = {"sh", "-c", c.script};
    options.env = BasicEnv();
    absl::StatusOr<pid_t> pid = Spawn(options);
    ASSERT_TRUE(pid.ok()) << pid.status();
    ProcessStatus status = WaitForExit(*pid);
    EXPECT_FALSE(status.running) << c.script;
    EXPECT_TRUE(status.has_exit_code) << c.script;
    EXPECT_EQ(status.exit_code, c.want) << c.script;
  }
}

TEST(CheckProcessTest, RunningChildThenGoneAfterStop) {
  SpawnOptions options;
  options.argv = {"sleep", "1000"};
  options.env = BasicEnv();
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();

  ProcessStatus status = CheckProcess(*pid);
  EXPECT_TRUE(status.running);
  EXPECT_FALSE(status.has_exit_code);

  ASSERT_TRUE(StopProcessGroup(*pid, absl::Seconds(10)).ok());
  EXPECT_FALSE(WaitForExit(*pid).running);
  EXPECT_FALSE(IsAlive(*pid));
}

TEST(CheckProcessTest, ProcessThatIsNotOurChild) {
  // Like a service started by an earlier server: alive, exit code unknown.
  ProcessStatus status = CheckProcess(getpid());
  EXPECT_TRUE(status.running);
  EXPECT_FALSE(status.has_exit_code);
}

TEST(CheckProcessTest, ReapedChildIsGone) {
  SpawnOptions options;
  options.argv = {"true"};
  options.env = BasicEnv();
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  ASSERT_TRUE(WaitForExit(*pid).has_exit_code);
  // Asked again, it is an unknown process that no longer exists.
  ProcessStatus again = CheckProcess(*pid);
  EXPECT_FALSE(again.running);
  EXPECT_FALSE(again.has_exit_code);
}

// Starts `script` (which must write the pid of a background child of its own
// to $1) and returns the leader's and the grandchild's pids.
void SpawnFamily(const TempDir& dir, const std::string& script, pid_t* leader,
                 pid_t* grandchild) {
  const std::string pid_file = dir.File("child.pid");
  SpawnOptions options;
  options.argv = {"sh", "-c", script, "sh", pid_file};
  options.env = BasicEnv();
  options.output_path = dir.File("out.log");
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  *leader = *pid;
  *grandchild = WaitForPidFile(pid_file);
  ASSERT_GT(*grandchild, 0);
  ASSERT_TRUE(IsAlive(*grandchild));
}

TEST(StopProcessGroupTest, StopsTheWholeGroup) {
  TempDir dir;
  pid_t leader = 0;
  pid_t grandchild = 0;
  ASSERT_NO_FATAL_FAILURE(SpawnFamily(
      dir, "sleep 1000 & echo $! > \"$1\"; wait", &leader, &grandchild));

  ASSERT_TRUE(StopProcessGroup(leader, absl::Seconds(10)).ok());
  EXPECT_FALSE(WaitForExit(leader).running);
  EXPECT_TRUE(WaitUntilDead(grandchild));
}

TEST(StopProcessGroupTest, KillsWhatIgnoresTerm) {
  TempDir dir;
  pid_t leader = 0;
  pid_t grandchild = 0;
  // Both the shell and its child (which inherits the disposition) ignore
  // SIGTERM, so only the SIGKILL after the grace period stops them.
  ASSERT_NO_FATAL_FAILURE(
      SpawnFamily(dir, "trap '' TERM; sleep 1000 & echo $! > \"$1\"; wait",
                  &leader, &grandchild));

  ASSERT_TRUE(StopProcessGroup(leader, absl::Milliseconds(100)).ok());
  ProcessStatus status = WaitForExit(leader);
  EXPECT_FALSE(status.running);
  EXPECT_TRUE(WaitUntilDead(grandchild));
}

TEST(StopProcessGroupTest, KillsChildrenEvenAfterTheLeaderExited) {
  TempDir dir;
  pid_t leader = 0;
  pid_t grandchild = 0;
  // The leader exits at once; its background child lives on in the group.
  ASSERT_NO_FATAL_FAILURE(
      SpawnFamily(dir, "sleep 1000 & echo $! > \"$1\"", &leader, &grandchild));
  ASSERT_TRUE(WaitForExit(leader).has_exit_code);

  ASSERT_TRUE(StopProcessGroup(leader, absl::Seconds(10)).ok());
  EXPECT_TRUE(WaitUntilDead(grandchild));
}

TEST(StopProcessGroupTest, AlreadyGoneIsOk) {
  SpawnOptions options;
  options.argv = {"true"};
  options.env = BasicEnv();
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  ASSERT_TRUE(WaitForExit(*pid).has_exit_code);
  EXPECT_TRUE(StopProcessGroup(*pid, absl::Seconds(1)).ok());
}

TEST(StopProcessGroupTest, ReapsAnExitedChild) {
  SpawnOptions options;
  options.argv = {"true"};
  options.env = BasicEnv();
  absl::StatusOr<pid_t> pid = Spawn(options);
  ASSERT_TRUE(pid.ok()) << pid.status();
  // Exited but not yet waited for: a zombie.
  const absl::Time give_up = absl::Now() + kPatience;
  while (ProcState(*pid) != 'Z' && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(ProcState(*pid), 'Z');
  EXPECT_TRUE(StopProcessGroup(*pid, absl::Seconds(10)).ok());
  EXPECT_EQ(ProcState(*pid), '\0') << "zombie left behind";
}

TEST(RunTest, CapturesOutputAndExitCode) {
  struct Case {
    std::vector<std::string> argv;
    int want_code;
    std::string want_output;
  };
  const Case cases[] = {
      {{"sh", "-c", "echo out; echo err >&2; exit 3"}, 3, "out\nerr\n"},
      {{"echo", "hello world"}, 0, "hello world\n"},
      {{"true"}, 0, ""},
      {{"sh", "-c", "kill -KILL $$"}, 128 + SIGKILL, ""},
      {{"tao-no-such-program-anywhere"}, 127, ""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<RunResult> result = platforms::Run(c.argv, kPatience);
    ASSERT_TRUE(result.ok()) << c.argv[0] << ": " << result.status();
    EXPECT_EQ(result->exit_code, c.want_code) << c.argv.back();
    EXPECT_EQ(result->output, c.want_output) << c.argv.back();
  }
}

TEST(RunTest, OutputLargerThanPipeBuffer) {
  absl::StatusOr<RunResult> result = platforms::Run(
      {"sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x"}, kPatience);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->output, std::string(300000, 'x'));
}

TEST(RunTest, FeedsStdin) {
  absl::StatusOr<RunResult> result =
      platforms::Run({"cat"}, kPatience, "line one\nline two");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->output, "line one\nline two");
}

TEST(RunTest, EmptyStdinIsClosed) {
  // cat would wait forever on an open stdin.
  absl::StatusOr<RunResult> result = platforms::Run({"cat"}, kPatience);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->output, "");
}

TEST(RunTest, WithoutStdinTextStdinIsDevNull) {
  // A character device, not a pipe: what the brev CLI needs to read no
  // instance names from its stdin.
  RunOptions options;
  options.timeout = kPatience;
  absl::StatusOr<RunResult> result = platforms::Run(
      {"sh", "-c", "if [ -c /dev/stdin ]; then echo char; else echo pipe; fi"},
      options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->output, "char\n");
  options.stdin_text = "x";
  result = platforms::Run(
      {"sh", "-c", "if [ -p /dev/stdin ]; then echo pipe; fi"}, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->output, "pipe\n");
}

TEST(RunTest, SeparateStderrKeepsStdoutClean) {
  RunOptions options;
  options.timeout = kPatience;
  options.separate_stderr = true;
  absl::StatusOr<RunResult> result = platforms::Run(
      {"sh", "-c",
       "echo '{\"a\":1}'; echo warning >&2; head -c 100000 /dev/zero | tr "
       "'\\0' e >&2; exit 2"},
      options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 2);
  EXPECT_EQ(result->output, "{\"a\":1}\n");
  EXPECT_EQ(result->error_output, "warning\n" + std::string(100000, 'e'));
}

TEST(RunTest, ChildIgnoringStdinDoesNotKillUs) {
  // More input than a pipe holds, to a child that exits without reading:
  // the write fails with EPIPE, which must not raise SIGPIPE in the server.
  absl::StatusOr<RunResult> result =
      platforms::Run({"true"}, kPatience, std::string(1 << 20, 'x'));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0);
}

TEST(RunTest, InheritsOurEnvironment) {
  setenv("TAO_RUN_TEST_VARIABLE", "visible", 1);
  absl::StatusOr<RunResult> result =
      platforms::Run({"sh", "-c", "echo $TAO_RUN_TEST_VARIABLE"}, kPatience);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->output, "visible\n");
}

TEST(RunTest, TimeoutKillsTheCommand) {
  absl::StatusOr<RunResult> result =
      platforms::Run({"sleep", "1000"}, absl::Milliseconds(200));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(result.status().message(), HasSubstr("sleep"));
}

TEST(RunTest, ZeroTimeoutStillReturns) {
  // The child may not even have started; it must be killed all the same.
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<RunResult> result =
        platforms::Run({"sleep", "1000"}, absl::ZeroDuration());
    EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
  }
}

TEST(RunTest, TimeoutKillsTheCommandsChildren) {
  TempDir dir;
  const std::string pid_file = dir.File("child.pid");
  // The background child keeps the output pipe open, so Run always waits
  // for the whole timeout, however fast the shell is.
  absl::StatusOr<RunResult> result = platforms::Run(
      {"sh", "-c", "sleep 1000 & echo $! > \"$1\"", "sh", pid_file},
      absl::Seconds(3));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
  // The shell is dead and reaped by now: the file is complete or absent.
  int grandchild = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(pid_file)),
                        &grandchild)) {
    GTEST_SKIP() << "the shell did not get to start its child in time";
  }
  EXPECT_TRUE(WaitUntilDead(grandchild));
}

TEST(RunTest, EmptyArgvIsInvalid) {
  EXPECT_EQ(platforms::Run({}, kPatience).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tao::platforms
