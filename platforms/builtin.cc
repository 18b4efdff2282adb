#include "platforms/builtin.h"

#include <memory>

#include "platforms/local_docker/local_docker_platform.h"
#include "platforms/slurm/slurm_platform.h"

namespace tao::platforms {

absl::Status RegisterBuiltinPlatforms(PlatformRegistry& registry) {
  // local-docker: settings from the server's environment (DOCKER_HOST,
  // DOCKER_NETWORK, TAO_DOCKER_GPUS, ...; see local_docker_options.h).
  absl::StatusOr<local_docker::LocalDockerOptions> docker_options =
      local_docker::OptionsFromEnvironment();
  if (!docker_options.ok()) return docker_options.status();
  absl::StatusOr<std::unique_ptr<local_docker::LocalDockerPlatform>> docker =
      local_docker::LocalDockerPlatform::Create(*std::move(docker_options));
  if (!docker.ok()) return docker.status();
  if (absl::Status s = registry.Register(*std::move(docker)); !s.ok()) return s;

  // slurm: settings from SLURM_HOSTNAME, SLURM_USER, SSH_KEY_PATH,
  // SLURM_PARTITION, TAO_SLURM_*, ... (see slurm/slurm_settings.h).
  absl::StatusOr<slurm::SlurmPlatform::Options> slurm_options =
      slurm::SlurmPlatform::OptionsFromEnvironment();
  if (!slurm_options.ok()) return slurm_options.status();
  absl::StatusOr<std::unique_ptr<slurm::SlurmPlatform>> slurm_platform =
      slurm::SlurmPlatform::Create(*std::move(slurm_options));
  if (!slurm_platform.ok()) return slurm_platform.status();
  if (absl::Status s = registry.Register(*std::move(slurm_platform)); !s.ok()) {
    return s;
  }
  return absl::OkStatus();
}

}  // namespace tao::platforms
