#include "platforms/slurm/enroot_image.h"

#include "absl/strings/match.h"

namespace tao::platforms::slurm {

std::string EnrootImage(absl::string_view image) {
  if (absl::StartsWith(image, "/") ||
      image.find('#') != absl::string_view::npos) {
    return std::string(image);
  }
  const size_t slash = image.find('/');
  if (slash == absl::string_view::npos) return std::string(image);
  absl::string_view first = image.substr(0, slash);
  const bool is_registry = first.find('.') != absl::string_view::npos ||
                           first.find(':') != absl::string_view::npos ||
                           first == "localhost";
  if (!is_registry) return std::string(image);
  return std::string(first) + "#" + std::string(image.substr(slash + 1));
}

}  // namespace tao::platforms::slurm
