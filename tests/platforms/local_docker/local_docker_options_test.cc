#include "platforms/local_docker/local_docker_options.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::local_docker {
namespace {

using ::testing::HasSubstr;

EnvLookup Env(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(DockerOptionsFromEnvironmentTest, Defaults) {
  absl::StatusOr<LocalDockerOptions> options = OptionsFromEnvironment(Env({}));
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->docker_host, "");
  EXPECT_EQ(options->container.network, "tao_default");
  EXPECT_EQ(options->container.bind_address, "127.0.0.1");
  EXPECT_TRUE(options->container.gpus_enabled);
  EXPECT_EQ(options->container.tegra, IsTegraHost());
  EXPECT_EQ(options->container.shm_size_bytes, int64_t{16} << 30);
  EXPECT_EQ(options->stop_grace, absl::Seconds(10));
  EXPECT_EQ(options->ngc_api_key, "");
}

TEST(DockerOptionsFromEnvironmentTest, ReadsEveryVariable) {
  absl::StatusOr<LocalDockerOptions> options =
      OptionsFromEnvironment(Env({{"DOCKER_HOST", "unix:///tmp/d.sock"},
                                  {"DOCKER_NETWORK", "team_net"},
                                  {"TAO_DOCKER_BIND_ADDRESS", "0.0.0.0"},
                                  {"TAO_DOCKER_GPUS", "none"},
                                  {"TAO_DOCKER_TEGRA", "1"},
                                  {"TAO_DOCKER_SHM_SIZE", "8g"},
                                  {"TAO_DOCKER_STOP_GRACE_SECONDS", "3"},
                                  {"NGC_API_KEY", "ngc-key"}}));
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->docker_host, "unix:///tmp/d.sock");
  EXPECT_EQ(options->container.network, "team_net");
  EXPECT_EQ(options->container.bind_address, "0.0.0.0");
  EXPECT_FALSE(options->container.gpus_enabled);
  EXPECT_TRUE(options->container.tegra);
  EXPECT_EQ(options->container.shm_size_bytes, int64_t{8} << 30);
  EXPECT_EQ(options->stop_grace, absl::Seconds(3));
  EXPECT_EQ(options->ngc_api_key, "ngc-key");
}

TEST(DockerOptionsFromEnvironmentTest, NgcKeyFallsBackToNgcKey) {
  EXPECT_EQ(OptionsFromEnvironment(Env({{"NGC_KEY", "k2"}}))->ngc_api_key,
            "k2");
}

TEST(DockerOptionsFromEnvironmentTest, BadValuesNameTheVariable) {
  const std::pair<const char*, const char*> cases[] = {
      {"TAO_DOCKER_GPUS", "some"},
      {"TAO_DOCKER_TEGRA", "maybe"},
      {"TAO_DOCKER_SHM_SIZE", "lots"},
      {"TAO_DOCKER_STOP_GRACE_SECONDS", "-1"},
  };
  for (const auto& [name, value] : cases) {
    SCOPED_TRACE(name);
    absl::StatusOr<LocalDockerOptions> options =
        OptionsFromEnvironment(Env({{name, value}}));
    ASSERT_FALSE(options.ok());
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(options.status().message()), HasSubstr(name));
  }
}

TEST(DockerParseByteSizeTest, AcceptsSuffixes) {
  const std::pair<const char*, int64_t> cases[] = {
      {"4096", 4096},      {"1k", 1024},        {"512m", 512LL << 20},
      {"16g", 16LL << 30}, {"8GiB", 8LL << 30}, {"2GB", 2LL << 30},
      {" 1T ", 1LL << 40},
  };
  for (const auto& [text, bytes] : cases) {
    SCOPED_TRACE(text);
    absl::StatusOr<int64_t> size = ParseByteSize(text);
    ASSERT_TRUE(size.ok()) << size.status();
    EXPECT_EQ(*size, bytes);
  }
  for (const char* bad : {"", "g", "-1g", "0", "1x", "99999999999t"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseByteSize(bad).ok());
  }
}

}  // namespace
}  // namespace tao::platforms::local_docker
