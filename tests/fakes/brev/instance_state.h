// The fake's account of the org: its instances (what `brev ls` shows and
// what the fake knows about their backing: containers seen in exec
// commands, port-forward processes) and the login state. Stored as JSON in
// $FAKE_BREV_DIR/state.json (state_store.h).
#ifndef TAO_TESTS_FAKES_BREV_INSTANCE_STATE_H_
#define TAO_TESTS_FAKES_BREV_INSTANCE_STATE_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace tao::fakes::brev {

// A `brev port-forward` ssh child, identified by pid and start time so
// that a reused pid is never killed.
struct PortForward {
  pid_t pid = 0;
  uint64_t start_ticks = 0;
  int local_port = 0;
  int remote_port = 0;
  std::string alias;  // the ssh Host it went to (NAME or NAME-host)
};

// A status change that happens by itself at `at_ms` (Unix milliseconds).
// `to` is a status, or kGone for an instance that disappears.
struct Transition {
  std::string to;
  int64_t at_ms = 0;
};
inline constexpr char kGone[] = "GONE";

struct Instance {
  // The fields of `brev ls --json` (brev-cli.md §3); status is the raw one.
  std::string name;
  std::string id;
  std::string status;
  std::string build_status;
  std::string health_status;
  std::string instance_type;
  std::string instance_kind = "gpu";
  std::string gpu;
  std::string status_message;  // what create logs for FAILURE
  int64_t created_ms = 0;
  bool stoppable = true;
  std::optional<Transition> transition;
  // Fault knobs: ssh attempts still to fail, and the status the instance
  // reaches after the next DEPLOYING (FAILURE for a failing create).
  int ssh_failures = 0;
  std::string deploy_result = "RUNNING";
  // Names of containers exec commands started (`--name X`), removed when
  // the instance stops or is deleted.
  std::vector<std::string> containers;
  std::vector<PortForward> port_forwards;
};

struct State {
  bool token_expired = false;
  std::vector<Instance> instances;

  Instance* Find(const std::string& name);
};

// A fresh id of brev's form (nine lowercase letters and digits).
std::string NewInstanceId();

nlohmann::json ToJson(const State& state);
// INVALID_ARGUMENT when `json` is not a state the fake wrote.
absl::StatusOr<State> StateFromJson(const nlohmann::json& json);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_INSTANCE_STATE_H_
