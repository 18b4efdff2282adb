// The subcommands. Each prints its result (human text, or one JSON document
// with --json) and returns the process exit code (see exit_codes.h).
#ifndef TAO_CLIENT_CLI_COMMANDS_H_
#define TAO_CLIENT_CLI_COMMANDS_H_

#include "client/cli/args.h"
#include "client/cli/command_context.h"

namespace tao::cli {

int RunStart(const CliContext& context, const StartArgs& args);
int RunStop(const CliContext& context, const StopArgs& args);
int RunList(const CliContext& context, const ListArgs& args);
int RunGet(const CliContext& context, const GetArgs& args);
int RunWait(const CliContext& context, const WaitArgs& args);
int RunInfer(const CliContext& context, const InferArgs& args);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_COMMANDS_H_
