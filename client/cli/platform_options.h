// `tao-infer start --option NAME=VALUE`: the per-platform options of the API
// (StartRequest.slurm.partition, .docker.network, ...) set by field name, so
// that every option the proto has is reachable without a flag of its own.
#ifndef TAO_CLIENT_CLI_PLATFORM_OPTIONS_H_
#define TAO_CLIENT_CLI_PLATFORM_OPTIONS_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

// Sets each option on the options message of `platform` in `request`. Names
// are the proto field names, with dashes allowed for underscores; a repeated
// field takes a comma-separated list. INVALID_ARGUMENT naming the option and
// listing what the platform accepts when a name or value does not fit.
absl::Status SetPlatformOptions(
    const std::string& platform,
    const std::map<std::string, std::string>& options,
    tao::inference::v1::StartRequest* request);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_PLATFORM_OPTIONS_H_
