// --help text of tao-infer and of each subcommand.
#ifndef TAO_CLIENT_CLI_USAGE_H_
#define TAO_CLIENT_CLI_USAGE_H_

#include <string>

#include "client/cli/args.h"

namespace tao::cli {

// The overview for Command::kNone / kHelp, else the subcommand's usage.
std::string UsageText(Command topic);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_USAGE_H_
