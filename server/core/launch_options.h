// The per-platform part of a StartRequest, flattened to the string map a
// driver reads (LaunchSpec::options).
#ifndef TAO_SERVER_CORE_LAUNCH_OPTIONS_H_
#define TAO_SERVER_CORE_LAUNCH_OPTIONS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::core {

// Errors: INVALID_ARGUMENT when the options are for another platform than
// request.platform.
absl::StatusOr<std::map<std::string, std::string>> LaunchOptions(
    const tao::inference::v1::StartRequest& request);

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_LAUNCH_OPTIONS_H_
