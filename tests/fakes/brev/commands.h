// The brev commands the fake implements, one file each (cmd_*.cc). Each
// gets the arguments after its name, prints what brev prints and returns
// the error main.go would print (exit 1), or OK (exit 0).
#ifndef TAO_TESTS_FAKES_BREV_COMMANDS_H_
#define TAO_TESTS_FAKES_BREV_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/fakes/brev/brev_context.h"

namespace tao::fakes::brev {

using Args = std::vector<std::string>;

absl::Status LoginCommand(Context& ctx, const Args& args);
absl::Status LsCommand(Context& ctx, const Args& args);
absl::Status CreateCommand(Context& ctx, const Args& args);
absl::Status ExecCommand(Context& ctx, const Args& args);
absl::Status PortForwardCommand(Context& ctx, const Args& args);
absl::Status DeleteCommand(Context& ctx, const Args& args);
absl::Status StopCommand(Context& ctx, const Args& args);
absl::Status StartCommand(Context& ctx, const Args& args);
absl::Status RefreshCommand(Context& ctx, const Args& args);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_COMMANDS_H_
