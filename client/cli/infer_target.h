// Finds the one service an `infer` goes to before anything is asked or
// sent: its architecture decides which sampling fields apply.
#ifndef TAO_CLIENT_CLI_INFER_TARGET_H_
#define TAO_CLIENT_CLI_INFER_TARGET_H_

#include <optional>
#include <string>

#include "client/cli/args.h"
#include "client/cli/command_context.h"

namespace tao::cli {

struct InferTarget {
  std::string job_id;
  std::string network_arch;
};

// --job-id: Get it. Otherwise List (filtered by --network-arch): one match
// is the target; several -> on a terminal the user picks one, else an
// ERROR_REASON_AMBIGUOUS_TARGET error (exit 3) with the candidates; none ->
// ERROR_REASON_NO_SERVICE (exit 3). Each call is bounded by --timeout, else
// kDefaultCallTimeout. Returns the error, or nullopt with *target filled.
std::optional<CliError> ResolveInferTarget(const CliContext& context,
                                           const InferArgs& args,
                                           InferTarget* target);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_INFER_TARGET_H_
