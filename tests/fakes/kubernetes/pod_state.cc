#include "tests/fakes/kubernetes/pod_state.h"

#include <set>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/fakes/kubernetes/fake_node.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

const std::set<std::string>& Phases() {
  static const auto* phases = new std::set<std::string>{
      "Pending", "Running", "Succeeded", "Failed", "Unknown"};
  return *phases;
}

json Condition(const std::string& type, bool status, absl::Time now,
               const std::string& reason = "",
               const std::string& message = "") {
  json c = {{"type", type},
            {"status", status ? "True" : "False"},
            {"lastProbeTime", nullptr},
            {"lastTransitionTime", Rfc3339(now)}};
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

}  // namespace

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<PodState> PodStateFromScript(const json& script,
                                            absl::Time now) {
  if (!script.is_object()) {
    return absl::InvalidArgumentError("the pod script must be a JSON object");
  }
  PodState state;
  state.unschedulable_message = script.value("unschedulable", "");
  if (script.contains("waiting")) {
    state.waiting_reason = script["waiting"].value("reason", "");
    state.waiting_message = script["waiting"].value("message", "");
    if (state.waiting_reason.empty()) {
      return absl::InvalidArgumentError("waiting needs a reason");
    }
  }
  if (script.contains("terminated")) {
    state.terminated = true;
    state.exit_code = script["terminated"].value("exitCode", 0);
    state.terminated_reason = script["terminated"].value(
        "reason", state.exit_code == 0 ? "Completed" : "Error");
    state.terminated_message = script["terminated"].value("message", "");
  }
  state.ready = script.value("ready", false);
  state.restart_count = script.value("restartCount", 0);

  if (script.contains("phase")) {
    state.phase = script["phase"].get<std::string>();
    if (Phases().count(state.phase) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "phase \"", state.phase,
          "\" is not one of Pending, Running, Succeeded, Failed, Unknown"));
    }
  } else if (state.terminated) {
    state.phase = state.exit_code == 0 ? "Succeeded" : "Failed";
  } else if (!state.waiting_reason.empty() ||
             !state.unschedulable_message.empty()) {
    state.phase = "Pending";
  } else {
    state.phase = "Running";
  }
  // A finished pod's container has terminated; a Pending one waits.
  if ((state.phase == "Succeeded" || state.phase == "Failed") &&
      !state.terminated && state.waiting_reason.empty()) {
    state.terminated = true;
    state.exit_code = state.phase == "Succeeded" ? 0 : 1;
    state.terminated_reason =
        state.phase == "Succeeded" ? "Completed" : "Error";
  }
  if (state.phase == "Pending" && state.waiting_reason.empty() &&
      state.unschedulable_message.empty()) {
    state.waiting_reason = "ContainerCreating";
  }
  state.running = state.waiting_reason.empty() && !state.terminated &&
                  state.phase == "Running";
  if (!state.running) state.ready = false;
  if (state.phase != "Pending") {
    state.started_at = now;
    state.image_id = "docker-pullable://fake@sha256:0";
    state.container_id = "containerd://fake";
  }
  if (state.terminated) state.finished_at = now;
  return state;
}

json BuildPodStatus(const json& pod, const PodState& state, absl::Time now) {
  json status = {{"phase", state.phase}, {"qosClass", "BestEffort"}};
  if (!state.unschedulable_message.empty()) {
    status["conditions"] =
        json::array({Condition("PodScheduled", false, now, "Unschedulable",
                               state.unschedulable_message)});
    return status;
  }
  std::vector<std::string> names;
  json statuses = json::array();
  const json& containers = pod["spec"]["containers"];
  for (size_t i = 0; i < containers.size(); ++i) {
    const json& container = containers[i];
    std::string name = container.value("name", "");
    names.push_back(name);
    json cs = {{"name", name},
               {"image", container.value("image", "")},
               {"imageID", state.image_id},
               {"ready", state.ready},
               {"restartCount", state.restart_count},
               {"started", state.running},
               {"lastState", json::object()}};
    if (!state.container_id.empty()) cs["containerID"] = state.container_id;
    if (!state.waiting_reason.empty()) {
      json waiting = {{"reason", state.waiting_reason}};
      if (!state.waiting_message.empty()) {
        waiting["message"] = state.waiting_message;
      }
      cs["state"] = {{"waiting", waiting}};
    } else if (state.terminated) {
      json terminated = {{"exitCode", state.exit_code},
                         {"reason", state.terminated_reason},
                         {"startedAt", Rfc3339(state.started_at)},
                         {"finishedAt", Rfc3339(state.finished_at)}};
      if (!state.terminated_message.empty()) {
        terminated["message"] = state.terminated_message;
      }
      if (!state.container_id.empty()) {
        terminated["containerID"] = state.container_id;
      }
      cs["state"] = {{"terminated", terminated}};
    } else {
      cs["state"] = {{"running", {{"startedAt", Rfc3339(state.started_at)}}}};
    }
    statuses.push_back(cs);
  }
  std::string unready = absl::StrCat("containers with unready status: [",
                                     absl::StrJoin(names, " "), "]");
  json conditions = json::array();
  conditions.push_back(Condition("Initialized", true, now));
  if (state.ready) {
    conditions.push_back(Condition("Ready", true, now));
    conditions.push_back(Condition("ContainersReady", true, now));
  } else {
    std::string reason = state.phase == "Succeeded" || state.phase == "Failed"
                             ? "PodCompleted"
                             : "ContainersNotReady";
    conditions.push_back(Condition("Ready", false, now, reason,
                                   reason == "PodCompleted" ? "" : unready));
    conditions.push_back(Condition("ContainersReady", false, now, reason,
                                   reason == "PodCompleted" ? "" : unready));
  }
  conditions.push_back(Condition("PodScheduled", true, now));
  status["conditions"] = conditions;
  status["hostIP"] = kNodeAddress;
  status["hostIPs"] = json::array({{{"ip", kNodeAddress}}});
  if (!state.pod_ip.empty()) {
    status["podIP"] = state.pod_ip;
    status["podIPs"] = json::array({{{"ip", state.pod_ip}}});
  }
  status["startTime"] = Rfc3339(now);
  status["containerStatuses"] = statuses;
  return status;
}

}  // namespace tao::fakes::kubernetes
