#include "platforms/platform_registry.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tao::platforms {

absl::Status PlatformRegistry::Register(std::unique_ptr<Platform> platform) {
  if (platform == nullptr) {
    return absl::InvalidArgumentError("cannot register a null platform driver");
  }
  std::string name(platform->name());
  auto [it, inserted] = platforms_.emplace(name, std::move(platform));
  if (!inserted) {
    return absl::AlreadyExistsError(
        absl::StrCat("platform \"", name, "\" is registered twice"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Platform*> PlatformRegistry::Find(absl::string_view name) const {
  auto it = platforms_.find(name);
  if (it == platforms_.end()) {
    return absl::NotFoundError(absl::StrCat(
        "platform \"", name, "\" is not available on this server; available: ",
        names().empty() ? "(none)" : absl::StrJoin(names(), ", ")));
  }
  return it->second.get();
}

absl::StatusOr<std::unique_ptr<Platform>> PlatformRegistry::Release(
    absl::string_view name) {
  if (absl::Status found = Find(name).status(); !found.ok()) return found;
  auto it = platforms_.find(name);
  std::unique_ptr<Platform> platform = std::move(it->second);
  platforms_.erase(it);
  return platform;
}

std::vector<std::string> PlatformRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, platform] : platforms_) out.push_back(name);
  return out;
}

}  // namespace tao::platforms
