// Steps several commands share: instance names from arguments and a piped
// stdin, refresh, the "not found" error and polling a status.
#ifndef TAO_TESTS_FAKES_BREV_COMMAND_HELPERS_H_
#define TAO_TESTS_FAKES_BREV_COMMAND_HELPERS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/fakes/brev/brev_context.h"

namespace tao::fakes::brev {

// `args` plus one name per non-empty stdin line when stdin is not a
// character device (cmd/util/piping.go GetInstanceNames). The lines read
// are recorded as a "stdin_names" event. None at all: ValidationError
// "instance name required: provide as argument or pipe from another
// command".
absl::StatusOr<std::vector<std::string>> InstanceNames(
    Context& ctx, const std::vector<std::string>& args);

// What `brev refresh` does: writes the ssh files for the RUNNING
// instances. UNAVAILABLE when an instance runs but no sshd is there.
absl::Status RefreshSshFiles(Context& ctx);

// cmd/util GetUserWorkspaceByNameOrIDErr's refusal.
absl::Status NotFound(const std::string& name);

// The instance called `name` (or with that id) now; nullopt when unknown.
std::optional<Instance> Lookup(Context& ctx, const std::string& name);

// Polls every FAKE_BREV_POLL_MS until the instance's raw status is one of
// `wanted`; returns that status, "" at the timeout or when it is gone.
std::string PollStatus(Context& ctx, const std::string& name,
                       const std::vector<std::string>& wanted,
                       absl::Duration timeout);

// Multiple errors as hashicorp/go-multierror prints them.
std::string JoinErrors(const std::vector<std::string>& errors);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_COMMAND_HELPERS_H_
