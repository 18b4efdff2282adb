#include "platforms/local_docker/container_state.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace tao::platforms::local_docker {

RuntimeState StateFromInspect(const nlohmann::json& inspect) {
  using Phase = RuntimeState::Phase;
  RuntimeState state;
  const nlohmann::json* s = nullptr;
  if (inspect.is_object() && inspect.contains("State") &&
      inspect["State"].is_object()) {
    s = &inspect["State"];
  }
  if (s == nullptr) {
    state.phase = Phase::kUnknown;
    state.detail = "the engine reported no container state";
    return state;
  }
  const std::string status = s->value("Status", "");
  const std::string error = s->value("Error", "");
  if (status == "created" || status == "restarting") {
    state.phase = Phase::kPending;
    state.detail = status;
  } else if (status == "running" || status == "paused") {
    state.phase = Phase::kRunning;
    state.detail = status;
  } else if (status == "exited") {
    state.phase = Phase::kExited;
    if (s->contains("ExitCode") && (*s)["ExitCode"].is_number_integer()) {
      state.has_exit_code = true;
      state.exit_code = (*s)["ExitCode"].get<int>();
      state.detail = absl::StrCat("exited with code ", state.exit_code);
    } else {
      state.detail = "exited";
    }
    if (s->value("OOMKilled", false))
      absl::StrAppend(&state.detail, " (OOMKilled)");
  } else {
    state.phase = Phase::kUnknown;
    state.detail = status.empty() ? "no status" : status;
  }
  if (!error.empty()) absl::StrAppend(&state.detail, ": ", error);
  return state;
}

}  // namespace tao::platforms::local_docker
