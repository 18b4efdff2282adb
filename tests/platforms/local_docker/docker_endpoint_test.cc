#include "platforms/local_docker/docker_endpoint.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::local_docker {
namespace {

using ::testing::HasSubstr;

struct EndpointCase {
  const char* docker_host;
  const char* unix_socket;
  const char* base_url;
};

TEST(DockerParseDockerHostTest, AcceptsUnixAndTcp) {
  const EndpointCase cases[] = {
      {"", "/var/run/docker.sock", "http://localhost"},
      {"unix:///tmp/tao-docker/docker.sock", "/tmp/tao-docker/docker.sock",
       "http://localhost"},
      {"tcp://127.0.0.1:2376", "", "http://127.0.0.1:2376"},
      {"tcp://docker.example", "", "http://docker.example:2375"},
      {"tcp://[::1]:2375/", "", "http://[::1]:2375"},
      {"tcp://[::1]", "", "http://[::1]:2375"},
      {"http://10.0.0.5:2375", "", "http://10.0.0.5:2375"},
  };
  for (const EndpointCase& c : cases) {
    SCOPED_TRACE(c.docker_host);
    absl::StatusOr<DockerEndpoint> endpoint = ParseDockerHost(c.docker_host);
    ASSERT_TRUE(endpoint.ok()) << endpoint.status();
    EXPECT_EQ(endpoint->unix_socket, c.unix_socket);
    EXPECT_EQ(endpoint->base_url, c.base_url);
  }
}

TEST(DockerParseDockerHostTest, DescriptionIsTheDockerHostForm) {
  EXPECT_EQ(ParseDockerHost("")->description, "unix:///var/run/docker.sock");
  EXPECT_EQ(ParseDockerHost("tcp://h:1")->description, "tcp://h:1");
}

TEST(DockerParseDockerHostTest, RejectsOtherSchemesNamingDockerHost) {
  for (const char* host : {"ssh://user@host", "npipe:////./pipe/docker_engine",
                           "unix://relative.sock", "tcp://", "tcp://h/x",
                           "/var/run/docker.sock"}) {
    SCOPED_TRACE(host);
    absl::StatusOr<DockerEndpoint> endpoint = ParseDockerHost(host);
    ASSERT_FALSE(endpoint.ok());
    EXPECT_EQ(endpoint.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(endpoint.status().message()),
                HasSubstr("DOCKER_HOST="));
  }
}

}  // namespace
}  // namespace tao::platforms::local_docker
