// The drivers the server knows, by platform name.
#ifndef TAO_PLATFORMS_PLATFORM_REGISTRY_H_
#define TAO_PLATFORMS_PLATFORM_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platforms/platform.h"

namespace tao::platforms {

// Filled once at start-up, then read concurrently (no locking needed after).
class PlatformRegistry {
 public:
  // ALREADY_EXISTS when a driver of the same name is registered;
  // INVALID_ARGUMENT for a null driver.
  absl::Status Register(std::unique_ptr<Platform> platform);

  // NOT_FOUND listing the platforms this server offers.
  absl::StatusOr<Platform*> Find(absl::string_view name) const;

  // Takes the driver of `name` out (to register a wrapper of it in its
  // place). NOT_FOUND as Find.
  absl::StatusOr<std::unique_ptr<Platform>> Release(absl::string_view name);

  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::unique_ptr<Platform>, std::less<>> platforms_;
};

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_PLATFORM_REGISTRY_H_
