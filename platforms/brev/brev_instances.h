// What the brev CLI prints about instances (brev-cli.md §3, §4): the JSON
// of `brev ls --json`, the instance name rule, the logged-out prompt, and
// what an instance's status means for starting services on it.
#ifndef TAO_PLATFORMS_BREV_BREV_INSTANCES_H_
#define TAO_PLATFORMS_BREV_BREV_INSTANCES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tao::platforms::brev {

// One entry of `brev ls --json` ([B] cmd/ls/ls.go outputWorkspacesJSON).
// There is no address field: an instance is reached by its ssh alias.
struct BrevInstance {
  std::string name;  // also its ssh alias
  std::string id;
  // RUNNING STARTING STOPPING DEPLOYING STOPPED DELETING FAILURE, or
  // UNHEALTHY (shown instead of RUNNING while health is UNHEALTHY).
  std::string status;
  std::string build_status;   // "" CREATE_FAILED PENDING BUILDING COMPLETED
  std::string shell_status;   // READY or NOT READY
  std::string health_status;  // HEALTHY UNHEALTHY UNAVAILABLE or ""
  std::string instance_type;
  std::string instance_kind;  // gpu or cpu
  std::string gpu;            // "-" when unknown or CPU
};

// True when `stdout_text` holds brev's "You are currently logged out"
// prompt (it prints it to stdout, then fails with EOF on a stdin that is
// not a terminal: brev-cli.md §0).
bool IsLoggedOutPrompt(absl::string_view stdout_text);

// The instances in `brev ls --json`'s stdout; {"workspaces": null} (a nil
// Go slice) is none. Errors: FAILED_PRECONDITION when it is the logged-out
// prompt; INTERNAL saying what came instead of the JSON otherwise.
absl::StatusOr<std::vector<BrevInstance>> ParseInstanceList(
    absl::string_view stdout_text);

// [B] names/validate.go: ^[a-zA-Z0-9][a-zA-Z0-9._-]*$, at most 63.
bool IsInstanceName(absl::string_view name);

// Where an instance stands for running services on it.
enum class InstanceStanding {
  kRunning,   // RUNNING with the build COMPLETED: ssh can be tried
  kStarting,  // DEPLOYING, STARTING, or RUNNING while still building
  kStopped,   // STOPPED or STOPPING: `brev start` brings it back
  kFailed,    // FAILURE, CREATE_FAILED or UNHEALTHY
  kGoing,     // DELETING
};
InstanceStanding StandingOf(const BrevInstance& instance);

}  // namespace tao::platforms::brev

#endif  // TAO_PLATFORMS_BREV_BREV_INSTANCES_H_
