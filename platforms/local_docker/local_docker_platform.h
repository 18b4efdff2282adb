// The "local-docker" platform: runs each service as a container on a Docker
// engine reached over its API (unix socket or TCP, from DOCKER_HOST), the
// way spec §6.1's `docker run` does:
//   name = job_id; labels ai.tao.inference.{job_id,network_arch,
//   server_instance} (spec.server_instance; + the skill's tao-job); Cmd
//   ["/bin/bash","-c", inner_command(8080)]; Env = spec.env + spec.secret_env
//   (secrets only there); 8080/tcp published on bind_address:host_port; network
//   created when missing; /dev/shm sized for model serving; GPUs as device
//   requests (or runtime nvidia + NVIDIA_* env on Tegra), none with
//   TAO_DOCKER_GPUS= none. The image is inspected and pulled when missing (NGC
//   credentials for nvcr.io from the server's environment), with pull progress
//   reported.
//
// Error codes: INVALID_ARGUMENT (bad option), FAILED_PRECONDITION (image
// missing and not pullable, GPUs or runtime unavailable, unsupported
// DOCKER_HOST), UNAVAILABLE (engine unreachable; the message names the
// socket), RESOURCE_EXHAUSTED (host port already taken), DEADLINE_EXCEEDED.
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_LOCAL_DOCKER_PLATFORM_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_LOCAL_DOCKER_PLATFORM_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "platforms/local_docker/docker_api.h"
#include "platforms/local_docker/local_docker_options.h"
#include "platforms/platform.h"

namespace tao::platforms::local_docker {

// A container that carries our job-id label, as the engine lists it.
struct LabelledContainer {
  std::string job_id;
  std::string network_arch;
  std::string server_instance;
  std::string container_id;
  std::string state;   // "running", "exited", ...
  std::string status;  // the engine's words, e.g. "Exited (3) 2 minutes ago"
};

class LocalDockerPlatform : public Platform {
 public:
  using Options = LocalDockerOptions;

  // Does not contact the engine (the server starts without one). Errors:
  // INVALID_ARGUMENT for a bad default network or bind address. An
  // unsupported DOCKER_HOST is reported by every call instead, so that it
  // does not stop a server that uses other platforms.
  static absl::StatusOr<std::unique_ptr<LocalDockerPlatform>> Create(
      Options options);

  absl::string_view name() const override { return "local-docker"; }
  absl::string_view execution_backend() const override {
    return "local-docker";
  }
  // Containers publish their port on this host.
  std::string HostPortScope(const LaunchSpec&) const override {
    return std::string(kThisHostPortScope);
  }
  // The keys of kOptionKeys (container_config.h), as docker.<key>.
  absl::Status ValidateOptions(
      const std::map<std::string, std::string>& options) const override;

  // Returns once the container was started and the engine reports it
  // running, or already exited: a container that exits at once is still
  // placed (its state and logs tell why; Inspect reports kExited with the
  // code). On error nothing is left behind.
  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override;
  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override;
  // Inspect; a container left "created" (a restart cut its launch short
  // between create and start) is started first.
  absl::StatusOr<RuntimeState> Reattach(Placement& placement) override;
  // Stops with the grace period, then removes. A container already gone is
  // OK.
  absl::Status Terminate(const Placement& placement) override;
  // The last `tail_lines` lines of stdout and stderr (all when <= 0).
  // Errors: NOT_FOUND when the container is gone, UNAVAILABLE.
  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override;

  // Every container (running or not) with the job-id label, for reporting
  // containers the registry does not know about. Errors: UNAVAILABLE.
  absl::StatusOr<std::vector<LabelledContainer>> ListLabelledContainers();
  // The labelled containers whose server-instance label is
  // `server_instance`, each with its placement read back from the engine.
  absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance) override;

  // Where the engine is, in DOCKER_HOST form (for messages).
  const std::string& docker_host() const { return docker_host_; }

 private:
  LocalDockerPlatform(Options options, absl::StatusOr<DockerEndpoint> endpoint);

  // The engine client, or why there is none (unsupported DOCKER_HOST).
  absl::StatusOr<DockerApi*> Api();
  // `cancelled` may be null.
  absl::Status EnsureImage(const std::string& image, absl::Time deadline,
                           const std::function<bool()>& cancelled,
                           const ProgressCallback& progress);
  absl::Status PullImage(const std::string& image, absl::Time deadline,
                         const std::function<bool()>& cancelled,
                         const ProgressCallback& progress);
  absl::Status EnsureNetwork(const std::string& network, absl::Time deadline,
                             const ProgressCallback& progress);
  // The engine's inspect answer for `container` (name or id). Errors:
  // NOT_FOUND, UNAVAILABLE.
  absl::StatusOr<nlohmann::json> InspectContainer(const std::string& container);
  // Force-removes a container we created and could not start.
  void RemoveQuietly(const std::string& container);
  // The timeout for one call: the usual one, cut short by `deadline`.
  // Errors: DEADLINE_EXCEEDED when the deadline has passed.
  absl::StatusOr<absl::Duration> CallTimeout(absl::Time deadline,
                                             absl::Duration usual) const;

  const Options options_;
  const std::string docker_host_;
  const absl::Status endpoint_status_;
  std::unique_ptr<DockerApi> api_;
  // Serialises network creation: two Starts must not create it twice.
  absl::Mutex network_mu_;
};

// The driver with the settings of OptionsFromEnvironment(), for
// RegisterBuiltinPlatforms.
absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment();

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_LOCAL_DOCKER_PLATFORM_H_
