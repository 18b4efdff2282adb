// The container a LaunchSpec asks for, as the engine's create-container
// body (POST /containers/create), built without talking to the engine.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_CONFIG_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "platforms/platform.h"

namespace tao::platforms::local_docker {

// Server-wide choices (LocalDockerPlatform::Options fills them).
struct ContainerDefaults {
  std::string network = "tao_default";
  std::string bind_address = "127.0.0.1";
  // False: containers get no GPUs whatever num_gpus says (machines without
  // NVIDIA GPUs, the test image).
  bool gpus_enabled = true;
  // Jetson: GPUs through runtime "nvidia" and NVIDIA_* env instead of
  // device requests (spec §5.1).
  bool tegra = false;
  int64_t shm_size_bytes = int64_t{16} << 30;
  std::string server_instance;
};

// Per-launch choices: the request's options over the defaults.
struct ContainerChoices {
  std::string network;
  std::string bind_address;
  std::vector<std::string> gpu_device_ids;  // empty: spec.num_gpus GPUs
};

// The option keys a local-docker LaunchSpec may carry.
inline constexpr const char* kOptionKeys[] = {"bind_address", "network",
                                              "gpu_device_ids"};

// Validates `spec` and its options (an option with an empty value counts
// as unset, whatever its key). Errors: INVALID_ARGUMENT naming the
// field ("docker.bind_address", "docker.network", "docker.gpu_device_ids",
// "job_id", "image", "host_port", "num_gpus", or an unknown option).
absl::StatusOr<ContainerChoices> ResolveChoices(
    const LaunchSpec& spec, const ContainerDefaults& defaults);

// The create-container body: Cmd ["/bin/bash","-c",inner_command(8080)],
// Env = spec.env plus spec.secret_env (values only here: the caller must
// never log this body), our labels, 8080/tcp published on
// bind_address:host_port, the network, /dev/shm size and GPUs.
nlohmann::json CreateContainerBody(const LaunchSpec& spec,
                                   const ContainerChoices& choices,
                                   const ContainerDefaults& defaults);

// "http://localhost:<port>" for a loopback or wildcard bind address, else
// the address itself (IPv6 in brackets).
std::string HostUrl(const std::string& bind_address, int host_port);

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_CONFIG_H_
