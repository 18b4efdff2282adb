// Registers the platform drivers compiled into the server.
#ifndef TAO_PLATFORMS_BUILTIN_H_
#define TAO_PLATFORMS_BUILTIN_H_

#include "absl/status/status.h"
#include "platforms/platform_registry.h"

namespace tao::platforms {

// Adds every real driver (local-docker, brev, lepton, slurm, kubernetes as
// they land) to `registry`.
absl::Status RegisterBuiltinPlatforms(PlatformRegistry& registry);

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_BUILTIN_H_
