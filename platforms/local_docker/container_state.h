// The engine's container state, as the platform-neutral RuntimeState.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_STATE_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_STATE_H_

#include "nlohmann/json.hpp"
#include "platforms/platform.h"

namespace tao::platforms::local_docker {

// Maps GET /containers/{id}/json's State (spec §6.1):
//   created, restarting   -> kPending
//   running, paused       -> kRunning
//   exited                -> kExited with State.ExitCode
//   dead, removing, other -> kUnknown
// `detail` says the engine's words ("exited with code 3 (OOMKilled)").
RuntimeState StateFromInspect(const nlohmann::json& inspect);

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_CONTAINER_STATE_H_
