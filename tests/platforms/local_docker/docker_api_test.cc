// DockerApi pieces that need no engine; calls against a real engine are in
// local_docker_platform_test.cc.
#include "platforms/local_docker/docker_api.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::local_docker {
namespace {

using ::testing::HasSubstr;

TEST(DockerChooseApiVersionTest, PrefersTestedVersionWithinTheEnginesRange) {
  struct Case {
    const char* min;
    const char* max;
    const char* chosen;
  } cases[] = {
      {"1.12", "1.41", "1.41"},  // Debian 12's docker.io 20.10
      {"1.24", "1.47", "1.41"},  // newer engine, still serves 1.41
      {"1.44", "1.51", "1.44"},  // engine that dropped 1.41
      {"1.12", "1.40", "1.40"},  // older engine
      {"", "", "1.41"},          // unparsable: try ours
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.chosen);
    EXPECT_EQ(ChooseApiVersion(c.min, c.max), c.chosen);
  }
}

TEST(DockerErrorMessageTest, UsesTheEnginesMessage) {
  DockerResponse response;
  response.status = 404;
  response.body = R"({"message":"No such container: x"})";
  EXPECT_EQ(ErrorMessage(response), "No such container: x");
  response.body = "  plain text\n";
  EXPECT_EQ(ErrorMessage(response), "plain text");
  response.body = "";
  EXPECT_EQ(ErrorMessage(response), "HTTP 404");
}

TEST(DockerEscapePathTest, KeepsImageNameCharacters) {
  EXPECT_EQ(EscapePath("nvcr.io/nvidia/x:7.0@sha256:ab_c-d~"),
            "nvcr.io/nvidia/x:7.0@sha256:ab_c-d~");
  EXPECT_EQ(EscapePath("a b?c#d%"), "a%20b%3Fc%23d%25");
}

TEST(DockerApiTest, UnreachableSocketIsUnavailableNamingIt) {
  DockerApi api(*ParseDockerHost("unix:///nonexistent/tao-test.sock"));
  DockerRequest request;
  request.path = "/_ping";
  absl::StatusOr<DockerResponse> response = api.Call(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(response.status().message()),
              HasSubstr("unix:///nonexistent/tao-test.sock"));
  EXPECT_THAT(std::string(response.status().message()),
              HasSubstr("scripts/docker-up"));
}

TEST(DockerApiTest, UnreachableTcpIsUnavailableNamingIt) {
  // Port 1 on loopback: nothing listens there.
  DockerApi api(*ParseDockerHost("tcp://127.0.0.1:1"));
  absl::StatusOr<std::string> version = api.ApiVersion();
  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(version.status().message()),
              HasSubstr("tcp://127.0.0.1:1"));
}

}  // namespace
}  // namespace tao::platforms::local_docker
