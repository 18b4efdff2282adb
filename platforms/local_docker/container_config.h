// The container a LaunchSpec asks for, as the engine's create-container
// body (POST /containers/create), built without talking to the engine.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_CONFIG_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_CONFIG_H_

#include <cstdint>
#include <map>
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
};

// Per-launch choices: the request's options over the defaults.
struct ContainerChoices {
  std::string network;
  std::string bind_address;
  std::vector<std::string> gpu_device_ids;  // empty: spec.num_gpus GPUs
  std::string command;  // spec.inner_command(kDefaultContainerPort)
};

// The option keys a local-docker LaunchSpec may carry.
inline constexpr const char* kOptionKeys[] = {"bind_address", "network",
                                              "gpu_device_ids"};

// A request's options over the defaults (an option with an empty value
// counts as unset, whatever its key); `command` is left empty. Errors:
// INVALID_ARGUMENT naming the field ("docker.bind_address",
// "docker.network", "docker.gpu_device_ids", or an unknown option).
absl::StatusOr<ContainerChoices> ResolveOptions(
    const std::map<std::string, std::string>& options,
    const ContainerDefaults& defaults);

// Validates `spec`, builds its inner command and resolves its options.
// Errors: INVALID_ARGUMENT naming the field (those of ResolveOptions,
// "job_id", "image", "host_port", "num_gpus"), or the inner command's.
absl::StatusOr<ContainerChoices> ResolveChoices(
    const LaunchSpec& spec, const ContainerDefaults& defaults);

// The create-container body: Cmd ["/bin/bash","-c",choices.command],
// Env = spec.env plus spec.secret_env (values only here: the caller must
// never log this body), our labels (server instance from the spec), 8080/tcp
// published on bind_address:host_port, the network, /dev/shm size and GPUs.
nlohmann::json CreateContainerBody(const LaunchSpec& spec,
                                   const ContainerChoices& choices,
                                   const ContainerDefaults& defaults);

// Where a container of ours is reached and the facts Inspect, Terminate
// and Logs need: host_url, docker_url, host_port and the attributes
// container_id, network, bind_address.
Placement ContainerPlacement(const std::string& job_id,
                             const std::string& container_id,
                             const std::string& network,
                             const std::string& bind_address, int host_port);

// ContainerPlacement read back from the engine's inspect answer of a
// container this driver created (GET /containers/<id>/json), so that a
// container the registry lacks could be adopted. Fields the answer lacks
// stay empty.
Placement PlacementFromInspect(const nlohmann::json& inspect);

// "http://localhost:<port>" for a loopback or wildcard bind address, else
// the address itself (IPv6 in brackets).
std::string HostUrl(const std::string& bind_address, int host_port);

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_CONFIG_H_
