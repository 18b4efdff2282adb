#include "tests/platforms/local_docker/docker_test_env.h"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "platforms/common/subprocess.h"
#include "platforms/local_docker/docker_api.h"
#include "tests/support/random_job_id.h"

namespace tao::platforms::local_docker::testing {
namespace {

bool Answers(const std::string& docker_host) {
  absl::StatusOr<DockerEndpoint> endpoint = ParseDockerHost(docker_host);
  if (!endpoint.ok()) return false;
  DockerApi api(*endpoint);
  return api.ApiVersion().ok();
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

absl::StatusOr<std::string> FindDockerHost() {
  std::vector<std::string> candidates;
  if (const char* host = std::getenv("DOCKER_HOST"); host && *host) {
    candidates = {host};
  } else {
    candidates = {"unix:///tmp/tao-docker/docker.sock",
                  "unix:///var/run/docker.sock"};
  }
  for (const std::string& host : candidates) {
    if (Answers(host)) return host;
  }
  return absl::UnavailableError(absl::StrCat(
      "no Docker engine answers at ", absl::StrJoin(candidates, " or ")));
}

bool DockerRequired() {
  const std::string value = EnvOr("TAO_REQUIRE_DOCKER", "");
  return !value.empty() && value != "0";
}

absl::Status EnsureTestImage(const std::string& docker_host) {
  static std::once_flag once;
  static absl::Status result;
  std::call_once(once, [&docker_host] {
    const std::string script = EnvOr("TAO_SOURCE_DIR", TAO_TEST_SOURCE_DIR) +
                               "/scripts/make-test-image";
    absl::StatusOr<RunResult> run =
        Run({"/usr/bin/env", absl::StrCat("DOCKER_HOST=", docker_host), script,
             "--backend", TAO_REFERENCE_BACKEND_PATH, "--tag", kTestImage},
            absl::Minutes(5));
    if (!run.ok()) {
      result = run.status();
    } else if (run->exit_code != 0) {
      result = absl::InternalError(absl::StrCat(
          script, " failed (exit ", run->exit_code, "): ", run->output));
    }
  });
  return result;
}

LocalDockerOptions TestOptions(const std::string& docker_host,
                               const std::string& network) {
  LocalDockerOptions options;
  options.docker_host = docker_host;
  options.container.network = network;
  options.container.gpus_enabled = false;
  options.container.shm_size_bytes = int64_t{64} << 20;
  options.stop_grace = absl::Seconds(2);
  return options;
}

std::string UniqueName(const std::string& prefix) {
  return absl::StrCat(prefix, "-", tests::RandomJobId().substr(0, 13));
}

}  // namespace tao::platforms::local_docker::testing
