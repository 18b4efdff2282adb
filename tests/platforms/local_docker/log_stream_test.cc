#include "platforms/local_docker/log_stream.h"

#include <string>

#include "gtest/gtest.h"

namespace tao::platforms::local_docker {
namespace {

std::string Frame(char stream, const std::string& payload) {
  std::string frame = {stream, 0, 0, 0};
  const uint32_t size = static_cast<uint32_t>(payload.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    frame.push_back(static_cast<char>((size >> shift) & 0xFF));
  }
  return frame + payload;
}

TEST(DockerDemultiplexTest, JoinsStdoutAndStderrFramesInOrder) {
  const std::string raw =
      Frame(1, "out one\n") + Frame(2, "err two\n") + Frame(1, "out three\n");
  EXPECT_EQ(Demultiplex(raw), "out one\nerr two\nout three\n");
}

TEST(DockerDemultiplexTest, HandlesLargeFrames) {
  const std::string big(70000, 'x');  // size needs three bytes
  EXPECT_EQ(Demultiplex(Frame(1, big) + Frame(2, "!")), big + "!");
}

TEST(DockerDemultiplexTest, KeepsWhatArrivedOfATruncatedFrame) {
  std::string raw = Frame(1, "complete\n") + Frame(2, "cut short");
  raw.resize(raw.size() - 5);
  EXPECT_EQ(Demultiplex(raw), "complete\ncut ");
}

TEST(DockerDemultiplexTest, PassesRawTtyOutputThrough) {
  EXPECT_EQ(Demultiplex("plain text\nfrom a tty\n"),
            "plain text\nfrom a tty\n");
  EXPECT_EQ(Demultiplex(""), "");
}

TEST(DockerLastLinesTest, TakesTheTail) {
  struct Case {
    const char* text;
    int count;
    const char* expected;
  } cases[] = {
      {"a\nb\nc\n", 2, "b\nc"},
      {"a\nb\nc", 1, "c"},
      {"a\nb\nc\n", 5, "a\nb\nc"},
      {"a\nb\nc\n", 0, ""},
      {"", 3, ""},
      {"only", 1, "only"},
      {"a\n\nb\n", 2, "\nb"},
      {"x\ny\n\n\n", 1, "y"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(LastLines(c.text, c.count), c.expected);
  }
}

}  // namespace
}  // namespace tao::platforms::local_docker
