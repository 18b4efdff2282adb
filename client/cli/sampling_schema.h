// The sampling fields tao-inferd accepts for an architecture, asked from the
// server itself (DescribeArchitectures), so prompts and checks follow its
// catalog.
#ifndef TAO_CLIENT_CLI_SAMPLING_SCHEMA_H_
#define TAO_CLIENT_CLI_SAMPLING_SCHEMA_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "client/cli/command_context.h"
#include "client/cli/sampling_fields.h"

namespace tao::cli {

// One DescribeArchitectures call bounded by `timeout`. Returns the error of
// a failed call, or nullopt with *fields set to `network_arch`'s fields, or
// left empty when the server does not describe that architecture (then the
// server alone decides what the request may carry).
std::optional<CliError> DescribeSamplingFields(
    const CliContext& context, const std::string& network_arch,
    absl::Duration timeout, std::optional<SamplingFields>* fields);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_SAMPLING_SCHEMA_H_
