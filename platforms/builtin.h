// Registers the platform drivers compiled into the server.
#ifndef TAO_PLATFORMS_BUILTIN_H_
#define TAO_PLATFORMS_BUILTIN_H_

#include "absl/status/status.h"
#include "platforms/platform_registry.h"

namespace tao::platforms {

// Creates every real driver from the server's environment and adds it to
// `registry` (the table in builtin.cc). Errors: the first driver's
// configuration error, prefixed with its platform name.
absl::Status RegisterBuiltinPlatforms(PlatformRegistry& registry);

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_BUILTIN_H_
