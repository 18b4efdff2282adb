// Server-wide settings of the local-docker driver, and how they are read
// from the server's environment.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_LOCAL_DOCKER_OPTIONS_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_LOCAL_DOCKER_OPTIONS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/local_docker/container_config.h"

namespace tao::platforms::local_docker {

struct LocalDockerOptions {
  // Where the engine listens, in DOCKER_HOST form (unix:///PATH or
  // tcp://HOST:PORT). Empty: unix:///var/run/docker.sock.
  std::string docker_host;
  // Network, bind address, GPUs, Tegra mode, /dev/shm size.
  ContainerDefaults container;
  // How long a container may take to exit after SIGTERM before SIGKILL.
  absl::Duration stop_grace = absl::Seconds(10);
  // Longest single engine call (image pulls and stops have their own).
  absl::Duration request_timeout = absl::Seconds(60);
  // Longest image pull (the Start deadline may cut it shorter).
  absl::Duration pull_timeout = absl::Hours(2);
  // API key for pulls from nvcr.io (user $oauthtoken). A secret: sent only
  // in the X-Registry-Auth header, never logged or put in an error.
  std::string ngc_api_key;
};

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// Reads (unset or empty means the default):
//   DOCKER_HOST                    engine address
//   DOCKER_NETWORK                 network (default tao_default)
//   TAO_DOCKER_BIND_ADDRESS        publish address (default 127.0.0.1)
//   TAO_DOCKER_GPUS                "none": never give containers GPUs (no
//                                  device requests; for machines without
//                                  NVIDIA GPUs and for tests); "requested"
//                                  (default): num_gpus or the request's ids
//   TAO_DOCKER_TEGRA               "auto" (default: `uname -a` contains
//                                  "tegra"), "1" or "0"
//   TAO_DOCKER_SHM_SIZE            /dev/shm size: bytes or with k/m/g
//                                  (binary) suffix, e.g. 8g (default 16g)
//   TAO_DOCKER_STOP_GRACE_SECONDS  default 10
//   NGC_API_KEY (or NGC_KEY)       nvcr.io pull credentials
// `lookup` defaults to getenv. Errors: INVALID_ARGUMENT naming the variable.
absl::StatusOr<LocalDockerOptions> OptionsFromEnvironment(
    const EnvLookup& lookup = nullptr);

// "16g", "512m", "1024k", "4096" (bytes); a trailing "b", "ib" or "iB" is
// allowed ("8GiB"). Errors: INVALID_ARGUMENT.
absl::StatusOr<int64_t> ParseByteSize(const std::string& text);

// True when this kernel is an NVIDIA Tegra/Jetson one (`uname -a` contains
// "tegra").
bool IsTegraHost();

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_LOCAL_DOCKER_OPTIONS_H_
