#include "platforms/kubernetes/workload_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace tao::platforms::kubernetes {
namespace {

using json = nlohmann::json;
using Phase = RuntimeState::Phase;

// j[key] when it is an object (or array), else null.
const json* Member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Text(const json* j, const char* key) {
  const json* value = j == nullptr ? nullptr : Member(*j, key);
  return value != nullptr && value->is_string() ? value->get<std::string>()
                                                : std::string();
}

// The condition of `type` whose status is "True", if any.
const json* TrueCondition(const json* status, const char* type) {
  const json* conditions = status ? Member(*status, "conditions") : nullptr;
  if (conditions == nullptr || !conditions->is_array()) return nullptr;
  for (const json& c : *conditions) {
    if (Text(&c, "type") == type && Text(&c, "status") == "True") return &c;
  }
  return nullptr;
}

std::string Words(const std::string& reason, const std::string& message) {
  if (message.empty()) return reason;
  if (reason.empty()) return message;
  return absl::StrCat(reason, ": ", message);
}

RuntimeState State(Phase phase, std::string detail) {
  RuntimeState state;
  state.phase = phase;
  state.detail = std::move(detail);
  return state;
}

RuntimeState Terminated(const json& terminated, const std::string& what) {
  RuntimeState state = State(Phase::kExited, "");
  const json* code = Member(terminated, "exitCode");
  if (code != nullptr && code->is_number_integer()) {
    state.has_exit_code = true;
    state.exit_code = code->get<int>();
  }
  state.detail = absl::StrCat(
      what,
      state.has_exit_code ? absl::StrCat(" with exit code ", state.exit_code)
                          : std::string(),
      Text(&terminated, "reason").empty()
          ? std::string()
          : absl::StrCat(" (", Text(&terminated, "reason"), ")"));
  const std::string message = Text(&terminated, "message");
  if (!message.empty()) absl::StrAppend(&state.detail, ": ", message);
  return state;
}

// The pod's first container's status, if reported.
const json* ContainerStatus(const json* pod_status) {
  const json* statuses =
      pod_status ? Member(*pod_status, "containerStatuses") : nullptr;
  if (statuses == nullptr || !statuses->is_array() || statuses->empty()) {
    return nullptr;
  }
  return &(*statuses)[0];
}

RuntimeState PodState(const json& pod) {
  const json* status = Member(pod, "status");
  const std::string phase = Text(status, "phase");
  const json* container = ContainerStatus(status);
  const json* state = container ? Member(*container, "state") : nullptr;
  if (state != nullptr) {
    if (const json* waiting = Member(*state, "waiting")) {
      const std::string reason = Text(waiting, "reason");
      const std::string message = Text(waiting, "message");
      if (reason == "ErrImagePull" || reason == "ImagePullBackOff" ||
          reason == "InvalidImageName" || reason == "ErrImageNeverPull") {
        return State(
            Phase::kExited,
            absl::StrCat("image ", Text(container, "image"),
                         " cannot be pulled (", Words(reason, message), ")"));
      }
      if (reason == "CreateContainerConfigError" ||
          reason == "CreateContainerError" || reason == "RunContainerError") {
        return State(Phase::kExited,
                     absl::StrCat("the container cannot start (",
                                  Words(reason, message), ")"));
      }
      if (reason == "CrashLoopBackOff") {
        const json* last = Member(*container, "lastState");
        const json* terminated = last ? Member(*last, "terminated") : nullptr;
        if (terminated != nullptr) {
          return Terminated(*terminated, "the container crashed");
        }
        return State(Phase::kExited,
                     absl::StrCat("the container crashes (", message, ")"));
      }
      return State(Phase::kPending,
                   absl::StrCat("pod ", Text(Member(pod, "metadata"), "name"),
                                " is ", phase.empty() ? "Pending" : phase, ": ",
                                Words(reason, message)));
    }
    if (const json* terminated = Member(*state, "terminated")) {
      return Terminated(*terminated, "the container exited");
    }
    if (Member(*state, "running") != nullptr) {
      return State(Phase::kRunning, "running");
    }
  }
  if (phase == "Failed" || phase == "Succeeded") {
    return State(Phase::kExited, absl::StrCat("pod ", phase, ": ",
                                              Words(Text(status, "reason"),
                                                    Text(status, "message"))));
  }
  if (phase == "Pending" || phase.empty()) {
    // Not scheduled: the scheduler says why (e.g. Insufficient
    // nvidia.com/gpu), on the PodScheduled condition.
    const json* conditions = status ? Member(*status, "conditions") : nullptr;
    if (conditions != nullptr && conditions->is_array()) {
      for (const json& c : *conditions) {
        if (Text(&c, "type") == "PodScheduled" &&
            Text(&c, "status") == "False") {
          return State(
              Phase::kPending,
              absl::StrCat("not scheduled: ",
                           Words(Text(&c, "reason"), Text(&c, "message"))));
        }
      }
    }
    return State(Phase::kPending, "pod Pending");
  }
  if (phase == "Running") return State(Phase::kRunning, "running");
  return State(Phase::kUnknown, absl::StrCat("pod phase ", phase));
}

}  // namespace

RuntimeState WorkloadState(const json& job, const json* pod) {
  const json* status = Member(job, "status");
  if (const json* failed = TrueCondition(status, "Failed")) {
    const std::string why =
        Words(Text(failed, "reason"), Text(failed, "message"));
    if (pod != nullptr) {
      RuntimeState from_pod = PodState(*pod);
      if (from_pod.phase == Phase::kExited) {
        absl::StrAppend(&from_pod.detail, "; Job failed: ", why);
        return from_pod;
      }
    }
    return State(Phase::kExited, absl::StrCat("Job failed: ", why));
  }
  if (TrueCondition(status, "Complete") != nullptr) {
    RuntimeState state = State(Phase::kExited, "Job completed");
    state.has_exit_code = true;
    state.exit_code = 0;
    return state;
  }
  if (pod == nullptr) return State(Phase::kPending, "Job has no pod yet");
  return PodState(*pod);
}

const json* NewestPod(const json& pod_list) {
  const json* items = Member(pod_list, "items");
  if (items == nullptr || !items->is_array()) return nullptr;
  const json* newest = nullptr;
  auto key = [](const json& pod) {
    const json* metadata = Member(pod, "metadata");
    // RFC 3339 in UTC ("...Z") sorts as text.
    return std::make_pair(Text(metadata, "creationTimestamp"),
                          Text(metadata, "name"));
  };
  for (const json& pod : *items) {
    if (newest == nullptr || key(*newest) < key(pod)) newest = &pod;
  }
  return newest;
}

}  // namespace tao::platforms::kubernetes
