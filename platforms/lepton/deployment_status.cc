#include "platforms/lepton/deployment_status.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "platforms/lepton/json_fields.h"

namespace tao::platforms::lepton {
namespace {

using json = nlohmann::json;
using Phase = RuntimeState::Phase;

bool IsOneOf(const std::string& value,
             std::initializer_list<const char*> options) {
  for (const char* option : options) {
    if (value == option) return true;
  }
  return false;
}

RuntimeState Make(Phase phase, std::string detail) {
  RuntimeState state;
  state.phase = phase;
  state.detail = std::move(detail);
  return state;
}

// "reason: message", or whichever of them is there.
std::string ReasonAndMessage(const json& record) {
  const std::string reason = StringAt(record, "reason");
  const std::string message = StringAt(record, "message");
  if (reason.empty()) return message;
  if (message.empty()) return reason;
  return absl::StrCat(reason, ": ", message);
}

// The newest termination record with an exit code, and its replica. Each
// replica's list is taken as oldest first (the fake appends; DGXC's order
// is not verified).
const json* LastTermination(const json& termination, std::string* replica) {
  if (!termination.is_object()) return nullptr;
  const json* found = nullptr;
  for (auto it = termination.begin(); it != termination.end(); ++it) {
    if (!it.value().is_array()) continue;
    for (const json& record : it.value()) {
      if (record.is_object() && record.contains("exit_code") &&
          record["exit_code"].is_number_integer()) {
        found = &record;
        *replica = it.key();
      }
    }
  }
  return found;
}

// The first readiness issue of `reasons`, and its replica.
const json* IssueOf(const json& readiness,
                    std::initializer_list<const char*> reasons,
                    std::string* replica) {
  if (!readiness.is_object()) return nullptr;
  for (auto it = readiness.begin(); it != readiness.end(); ++it) {
    if (!it.value().is_array()) continue;
    for (const json& issue : it.value()) {
      if (IsOneOf(StringAt(issue, "reason"), reasons)) {
        *replica = it.key();
        return &issue;
      }
    }
  }
  return nullptr;
}

}  // namespace

RuntimeState DeploymentState(const json& deployment, const json& readiness,
                             const json& termination) {
  if (!deployment.is_object()) {
    return Make(Phase::kMissing, "Lepton has no such deployment");
  }
  const std::string state =
      StringAt(deployment.value("status", json::object()), "state");
  const std::string said = absl::StrCat("Lepton state \"", state, "\"");
  if (IsOneOf(state, {"Stopped", "Stopping", "Deleting"})) {
    return Make(Phase::kMissing, said);
  }

  std::string replica;
  if (const json* record = LastTermination(termination, &replica)) {
    RuntimeState exited = Make(
        Phase::kExited, absl::StrCat("replica ", replica, " exited with code ",
                                     (*record)["exit_code"].get<int>()));
    const std::string words = ReasonAndMessage(*record);
    if (!words.empty()) absl::StrAppend(&exited.detail, " (", words, ")");
    absl::StrAppend(&exited.detail, "; ", said);
    exited.exit_code = (*record)["exit_code"].get<int>();
    exited.has_exit_code = true;
    return exited;
  }

  const json* failure = IssueOf(
      readiness, {"ConfigError", "NoCapacity", "SystemError"}, &replica);
  if (state == "Error") {
    return Make(Phase::kExited,
                failure == nullptr
                    ? said
                    : absl::StrCat(said, "; replica ", replica, ": ",
                                   ReasonAndMessage(*failure)));
  }
  if (failure != nullptr) {
    return Make(Phase::kExited, absl::StrCat("replica ", replica, ": ",
                                             ReasonAndMessage(*failure)));
  }

  if (IsOneOf(state, {"Ready", "Running"})) return Make(Phase::kRunning, said);
  if (IsOneOf(state,
              {"Starting", "Updating", "Scaling", "Restarting", "Migrating"})) {
    // Say what it waits for ("InProgress: Pulling image").
    const json* progress =
        IssueOf(readiness, {"InProgress", "Queueing"}, &replica);
    return Make(Phase::kPending,
                progress == nullptr
                    ? said
                    : absl::StrCat(said, "; ", ReasonAndMessage(*progress)));
  }
  return Make(Phase::kUnknown, said);
}

}  // namespace tao::platforms::lepton
