// What the local-docker tests need from a real Docker engine: finding one,
// skipping (or failing, under TAO_REQUIRE_DOCKER) without one, the
// reference-backend test image, unique names and plain HTTP.
#ifndef TAO_TESTS_PLATFORMS_LOCAL_DOCKER_DOCKER_TEST_ENV_H_
#define TAO_TESTS_PLATFORMS_LOCAL_DOCKER_DOCKER_TEST_ENV_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/local_docker/local_docker_options.h"
#include "tests/support/http_get.h"
#include "tests/support/random_job_id.h"

namespace tao::platforms::local_docker::testing {

// The image scripts/make-test-image builds for these tests.
inline constexpr char kTestImage[] = "tao-reference-backend:test";

// The first engine that answers, in DOCKER_HOST form: $DOCKER_HOST when set
// (only it), else scripts/docker-up's private socket
// (unix:///tmp/tao-docker/docker.sock), else unix:///var/run/docker.sock.
// Errors: UNAVAILABLE listing what was tried.
absl::StatusOr<std::string> FindDockerHost();

// True when env TAO_REQUIRE_DOCKER is set to anything but "" or "0": then a
// missing engine fails the tests instead of skipping them.
bool DockerRequired();

// Builds (or finds up to date) kTestImage on `docker_host` with
// scripts/make-test-image and the reference_backend this test was built
// with. Runs the script once per process.
absl::Status EnsureTestImage(const std::string& docker_host);

// "tao-test-" plus a random UUID-like suffix (valid container and network
// names, unique across concurrent test processes).
std::string UniqueName(const std::string& prefix = "tao-test");

// Driver options for tests on `docker_host`: containers on `network`, no
// GPUs (none on test machines), a small /dev/shm, a short stop grace.
LocalDockerOptions TestOptions(const std::string& docker_host,
                               const std::string& network);

// A random UUID v4 string, as the server makes job ids.
using tests::RandomJobId;

// HTTP calls the tests make themselves (tests/support/http_get.h).
using tests::HttpAnswer;
using tests::HttpGet;
using tests::HttpGetUntilOk;

}  // namespace tao::platforms::local_docker::testing

// In a test body or fixture SetUp: skips (or fails under TAO_REQUIRE_DOCKER)
// when no engine answers, else stores its DOCKER_HOST in `var`.
#define TAO_REQUIRE_DOCKER_ENGINE(var)                                        \
  do {                                                                        \
    absl::StatusOr<std::string> found_host_ =                                 \
        ::tao::platforms::local_docker::testing::FindDockerHost();            \
    if (!found_host_.ok()) {                                                  \
      if (::tao::platforms::local_docker::testing::DockerRequired()) {        \
        FAIL() << found_host_.status().message()                              \
               << " (TAO_REQUIRE_DOCKER is set, so this is a failure)";       \
      }                                                                       \
      GTEST_SKIP() << found_host_.status().message()                          \
                   << "; start one with: eval \"$(scripts/docker-up)\" (set " \
                      "TAO_REQUIRE_DOCKER=1 to fail instead of skipping)";    \
    }                                                                         \
    var = *found_host_;                                                       \
  } while (0)

#endif  // TAO_TESTS_PLATFORMS_LOCAL_DOCKER_DOCKER_TEST_ENV_H_
