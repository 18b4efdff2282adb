#include "platforms/platform.h"

#include "absl/strings/str_cat.h"

namespace tao::platforms {

void ReportProgress(const ProgressCallback& progress,
                    ProgressEvent::Phase phase, std::string message) {
  if (!progress) return;
  ProgressEvent event;
  event.phase = phase;
  event.message = std::move(message);
  progress(event);
}

void ReportPlacement(const ProgressCallback& progress, std::string message,
                     const Placement& placement) {
  if (!progress) return;
  ProgressEvent event;
  event.message = std::move(message);
  event.placement = placement;
  progress(event);
}

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
