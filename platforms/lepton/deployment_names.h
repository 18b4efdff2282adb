// The name of the Lepton deployment a service runs as, which is also its
// id in every URL and the Placement's platform_job_id: "tao-" + the first
// 28 lower-case hex digits of the job id without its dashes, 32
// characters (lepton-api.md §3). That satisfies both rules known: [C]
// api-server util.go ValidateName (^[a-z]([-a-z0-9]*[a-z0-9])?$, at most
// 32) and [T]'s 36 characters starting with a letter. DGXC's own validator
// is not verified.
#ifndef TAO_PLATFORMS_LEPTON_DEPLOYMENT_NAMES_H_
#define TAO_PLATFORMS_LEPTON_DEPLOYMENT_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tao::platforms::lepton {

inline constexpr size_t kMaxDeploymentName = 32;

// "tao-<28 hex>". INVALID_ARGUMENT when `job_id` is not a UUID (32 hex
// digits in any case, with or without dashes). 28 digits of a v4 UUID keep
// 108 random bits, so two jobs do not share a name in practice.
absl::StatusOr<std::string> DeploymentName(absl::string_view job_id);

// True for [C]'s rule: ^[a-z]([-a-z0-9]*[a-z0-9])?$ and at most 32.
bool IsDeploymentName(absl::string_view name);

}  // namespace tao::platforms::lepton

#endif  // TAO_PLATFORMS_LEPTON_DEPLOYMENT_NAMES_H_
