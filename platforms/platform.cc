#include "platforms/platform.h"

#include "absl/strings/str_cat.h"

namespace tao::platforms {

absl::Status Platform::ValidateOptions(
    const std::map<std::string, std::string>& options) const {
  for (const auto& [key, value] : options) {
    if (value.empty()) continue;  // unset
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": platform ", name(), " takes no options"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<OwnedWorkload>> Platform::ListOwned(
    absl::string_view server_instance) {
  (void)server_instance;
  return absl::UnimplementedError(absl::StrCat(
      "platform ", name(), " cannot list the workloads it started"));
}

}  // namespace tao::platforms
