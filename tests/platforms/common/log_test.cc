// Log writes one "<UTC time> <level> <message>" line per call to stderr, and
// lines from concurrent callers never interleave.
#include "platforms/common/log.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace tao::platforms {
namespace {

// Sends file descriptor 2 to a fresh temp file until Stop().
class StderrCapture {
 public:
  StderrCapture() {
    const char* base = getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr ? base : "/tmp") + "/tao-log-test.XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = mkstemp(name.data());
    path_ = name.data();
    EXPECT_GE(fd, 0) << "mkstemp " << pattern;
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  ~StderrCapture() {
    Stop();
    unlink(path_.c_str());
  }

  // Restores stderr and returns what was written meanwhile.
  std::string Stop() {
    if (saved_ >= 0) {
      std::fflush(stderr);
      dup2(saved_, STDERR_FILENO);
      close(saved_);
      saved_ = -1;
    }
    std::ifstream in(path_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string path_;
  int saved_ = -1;
};

std::vector<std::string> Lines(const std::string& text) {
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "unterminated: " << text;
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

const std::regex& LinePattern() {
  static const std::regex* pattern = new std::regex(
      R"(^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (\S+) (.*)$)");
  return *pattern;
}

TEST(LogTest, OneLineWithTimeLevelAndMessage) {
  struct Case {
    void (*log)(absl::string_view);
    std::string level;
  };
  const Case cases[] = {
      {&LogInfo, "INFO"}, {&LogWarning, "WARN"}, {&LogError, "ERROR"}};
  for (const Case& c : cases) {
    StderrCapture capture;
    const absl::Time before = absl::Now();
    c.log("tao-inferd listening on port 50051");
    const absl::Time after = absl::Now();
    std::vector<std::string> lines = Lines(capture.Stop());
    ASSERT_EQ(lines.size(), 1u) << c.level;

    std::smatch match;
    ASSERT_TRUE(std::regex_match(lines[0], match, LinePattern())) << lines[0];
    EXPECT_EQ(match[2].str(), c.level);
    EXPECT_EQ(match[3].str(), "tao-inferd listening on port 50051");

    // The stamp is the call's time in UTC (millisecond resolution).
    absl::Time stamp;
    std::string error;
    ASSERT_TRUE(absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ", match[1].str(),
                                absl::UTCTimeZone(), &stamp, &error))
        << error;
    EXPECT_LE(absl::Floor(before - absl::UnixEpoch(), absl::Milliseconds(1)),
              stamp - absl::UnixEpoch());
    EXPECT_LE(stamp, after);
  }
}

TEST(LogTest, CustomLevelAndEmptyMessage) {
  StderrCapture capture;
  Log("DEBUG", "");
  std::vector<std::string> lines = Lines(capture.Stop());
  ASSERT_EQ(lines.size(), 1u);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(lines[0], match, LinePattern())) << lines[0];
  EXPECT_EQ(match[2].str(), "DEBUG");
  EXPECT_EQ(match[3].str(), "");
}

TEST(LogTest, EmbeddedNewlinesStayOnOneLine) {
  // Backend error text can span lines; each record must still be one line
  // so that a message cannot forge another record.
  StderrCapture capture;
  LogWarning("backend said:\nERROR fake record\r\nend");
  std::vector<std::string> lines = Lines(capture.Stop());
  ASSERT_EQ(lines.size(), 1u);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(lines[0], match, LinePattern())) << lines[0];
  EXPECT_EQ(match[3].str(), R"(backend said:\nERROR fake record\r\nend)");
}

TEST(LogTest, ConcurrentCallersNeverInterleave) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  StderrCapture capture;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      // Long messages make a torn write likely if writes were not serialised.
      const std::string filler(300, static_cast<char>('a' + t));
      for (int i = 0; i < kPerThread; ++i) {
        LogInfo(absl::StrCat("thread=", t, " i=", i, " ", filler));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> lines = Lines(capture.Stop());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kPerThread));

  const std::regex message(R"(^thread=(\d+) i=(\d+) ([a-z]+)$)");
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    std::smatch match;
    ASSERT_TRUE(std::regex_match(line, match, LinePattern())) << line;
    std::string text = match[3].str();
    std::smatch parts;
    ASSERT_TRUE(std::regex_match(text, parts, message)) << text;
    int t = std::stoi(parts[1].str());
    ASSERT_LT(t, kThreads);
    // Each thread's lines appear in the order it wrote them.
    EXPECT_EQ(std::stoi(parts[2].str()), next[t]++);
    EXPECT_EQ(parts[3].str(), std::string(300, static_cast<char>('a' + t)));
  }
}

}  // namespace
}  // namespace tao::platforms
