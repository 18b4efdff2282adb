#include "platforms/builtin.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "platforms/brev/brev_platform.h"
#include "platforms/kubernetes/kubernetes_platform.h"
#include "platforms/lepton/lepton_platform.h"
#include "platforms/local_docker/local_docker_platform.h"
#include "platforms/slurm/slurm_platform.h"

namespace tao::platforms {
namespace {

// A driver compiled into the server: its platform name and how it is made
// from the server's environment (each driver's header lists the variables).
struct BuiltinPlatform {
  absl::string_view name;
  absl::StatusOr<std::unique_ptr<Platform>> (*create_from_environment)();
};

// One line per driver (docs/adding-a-platform.md).
constexpr BuiltinPlatform kBuiltinPlatforms[] = {
    {"local-docker", &local_docker::CreateFromEnvironment},
    {"slurm", &slurm::CreateFromEnvironment},
    {"kubernetes", &kubernetes::CreateFromEnvironment},
    {"lepton", &lepton::CreateFromEnvironment},
    {"brev", &brev::CreateFromEnvironment},
};

}  // namespace

absl::Status RegisterBuiltinPlatforms(PlatformRegistry& registry) {
  for (const BuiltinPlatform& builtin : kBuiltinPlatforms) {
    absl::StatusOr<std::unique_ptr<Platform>> platform =
        builtin.create_from_environment();
    if (!platform.ok()) {
      return absl::Status(platform.status().code(),
                          absl::StrCat("platform ", builtin.name, ": ",
                                       platform.status().message()));
    }
    if ((*platform)->name() != builtin.name) {
      return absl::InternalError(absl::StrCat("the driver listed as platform ",
                                              builtin.name, " calls itself ",
                                              (*platform)->name()));
    }
    if (absl::Status s = registry.Register(*std::move(platform)); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace tao::platforms
