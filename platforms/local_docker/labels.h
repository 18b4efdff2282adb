// Labels that mark a container as one tao-inferd started.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_LABELS_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_LABELS_H_

namespace tao::platforms::local_docker {

// Present on every container the driver creates; its value is the job id.
inline constexpr char kLabelJobId[] = "ai.tao.inference.job_id";
inline constexpr char kLabelNetworkArch[] = "ai.tao.inference.network_arch";
// Which server started it (LaunchSpec::server_instance).
inline constexpr char kLabelServerInstance[] =
    "ai.tao.inference.server_instance";
// The original skill's label (spec §6.1), kept for people's own scripts.
inline constexpr char kLabelSkillJob[] = "tao-job";
// On networks the driver created.
inline constexpr char kLabelCreatedBy[] = "ai.tao.inference.created_by";
inline constexpr char kCreatedByValue[] = "tao-inferd local-docker driver";

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_LABELS_H_
