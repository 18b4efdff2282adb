// The fake binaries' shared main(): flags, the port file and serving until
// a stop signal (raised in-process).
#include "tests/fakes/common/fake_main.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace tao::fakes {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/fake_main_test_" +
         std::to_string(getpid()) + "_" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST(FakeMainTest, SplitsFlagsAtTheFirstEquals) {
  Flag flag = SplitFlag("--namespaces=a=b");
  EXPECT_EQ(flag.key, "--namespaces");
  EXPECT_EQ(flag.value, "a=b");
  flag = SplitFlag("--bare");
  EXPECT_EQ(flag.key, "--bare");
  EXPECT_EQ(flag.value, "");
}

TEST(FakeMainTest, ParsesListenAtTheLastColon) {
  std::string host = "unchanged";
  int port = -1;
  ASSERT_TRUE(ParseListen("::1:8443", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8443);
  host = "unchanged";
  port = -1;
  EXPECT_FALSE(ParseListen("127.0.0.1", &host, &port));
  EXPECT_FALSE(ParseListen("127.0.0.1:http", &host, &port));
  EXPECT_EQ(host, "unchanged");
  EXPECT_EQ(port, -1);
}

TEST(FakeMainTest, UsageNamesTheFakeAndReturnsTwo) {
  testing::internal::CaptureStderr();
  const int code = Usage("fake-x", "[--listen=H:P]", "unknown flag --y");
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "fake-x: unknown flag --y\nusage: fake-x [--listen=H:P]\n");
  EXPECT_EQ(code, 2);
}

// Runs FakeCommandLine::Read on `args` (argv[0] added); the fake's own
// flag is --color=red|blue.
struct ReadResult {
  int code = -1;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string color;
  std::string port_file;
  std::string stderr_text;
};

ReadResult ReadArgs(std::vector<std::string> args) {
  args.insert(args.begin(), "fake-x");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  ReadResult result;
  FakeCommandLine command("fake-x", "[--listen=H:P] [--color=red|blue]");
  testing::internal::CaptureStderr();
  result.code = command.Read(
      static_cast<int>(argv.size()), argv.data(), &result.host, &result.port,
      [&result](const std::string& key, const std::string& value) {
        if (key != "--color") return absl::NotFoundError(key);
        if (value != "red" && value != "blue") {
          return absl::InvalidArgumentError("--color wants red or blue");
        }
        result.color = value;
        return absl::OkStatus();
      });
  result.stderr_text = testing::internal::GetCapturedStderr();
  result.port_file = command.port_file();
  return result;
}

TEST(FakeMainTest, ReadsTheCommonFlagsAndHandsOnTheRest) {
  ReadResult read =
      ReadArgs({"--listen=127.0.0.2:8080", "--color=red", "--port-file=/p"});
  EXPECT_EQ(read.code, 0);
  EXPECT_EQ(read.host, "127.0.0.2");
  EXPECT_EQ(read.port, 8080);
  EXPECT_EQ(read.color, "red");
  EXPECT_EQ(read.port_file, "/p");
  EXPECT_EQ(read.stderr_text, "");
}

TEST(FakeMainTest, ABadOrUnknownFlagPrintsTheUsage) {
  const std::string usage = "usage: fake-x [--listen=H:P] [--color=red|blue]\n";
  ReadResult unknown = ReadArgs({"--colour=red"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.stderr_text, "fake-x: unknown flag --colour\n" + usage);
  ReadResult bad_value = ReadArgs({"--color=green"});
  EXPECT_EQ(bad_value.code, 2);
  EXPECT_EQ(bad_value.stderr_text,
            "fake-x: --color wants red or blue\n" + usage);
  ReadResult bad_listen = ReadArgs({"--listen=8080"});
  EXPECT_EQ(bad_listen.code, 2);
  EXPECT_EQ(bad_listen.stderr_text,
            "fake-x: --listen wants HOST:PORT, e.g. 127.0.0.1:0\n" + usage);
}

TEST(FakeMainTest, WritesThePortFileWhole) {
  const std::string path = TempPath("port");
  ASSERT_TRUE(WritePortFile(path, 31234).ok());
  EXPECT_EQ(ReadFile(path), "31234\n");
  EXPECT_NE(access((path + ".tmp").c_str(), F_OK), 0);  // renamed away
  std::remove(path.c_str());
}

TEST(FakeMainTest, APortFileThatCannotBeWrittenIsAnError) {
  absl::Status written = WritePortFile("/nonexistent-dir/port", 1);
  EXPECT_TRUE(absl::IsInternal(written)) << written;
}

// What ServeUntilStopped needs of a fake.
struct StubFake {
  explicit StubFake(bool* destroyed) : destroyed(destroyed) {}
  ~StubFake() { *destroyed = true; }
  int port() const { return 4321; }
  std::string url() const { return "http://127.0.0.1:4321"; }
  bool* destroyed;
};

TEST(FakeMainTest, AFakeThatCannotStartExitsOne) {
  testing::internal::CaptureStderr();
  const int code = ServeUntilStopped(
      "fake-x", "", []() -> absl::StatusOr<std::unique_ptr<StubFake>> {
        return absl::UnavailableError("cannot listen on 127.0.0.1:1");
      });
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "fake-x: cannot listen on 127.0.0.1:1\n");
  EXPECT_EQ(code, 1);
}

TEST(FakeMainTest, ServesUntilAStopSignalThenDestroysTheFake) {
  const std::string path = TempPath("served");
  bool destroyed = false;
  testing::internal::CaptureStderr();
  // The signal comes while the fake starts: it is caught, not lost (and
  // does not end the test process).
  const int code = ServeUntilStopped(
      "fake-x", path,
      [&destroyed]() -> absl::StatusOr<std::unique_ptr<StubFake>> {
        std::raise(SIGTERM);
        return std::make_unique<StubFake>(&destroyed);
      });
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "fake-x: serving http://127.0.0.1:4321\n");
  EXPECT_EQ(code, 0);
  EXPECT_TRUE(destroyed);
  EXPECT_EQ(ReadFile(path), "4321\n");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tao::fakes
