#include "platforms/builtin.h"

namespace tao::platforms {

absl::Status RegisterBuiltinPlatforms(PlatformRegistry& registry) {
  // No real driver has landed yet; each platform issue adds its driver here.
  (void)registry;
  return absl::OkStatus();
}

}  // namespace tao::platforms
