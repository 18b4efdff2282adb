#include "tests/fakes/kubernetes/scripted_pod_runner.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tao::fakes::kubernetes {

void ScriptedPodRunner::Start(const PodLaunch& launch, PodStatusSink* sink) {
  const nlohmann::json& pod = launch.pod;
  std::string ns = pod["metadata"].value("namespace", "");
  std::string name = pod["metadata"].value("name", "");
  // The first state goes out before the pod is registered: a script that
  // arrives meanwhile waits in early_ and is applied after it, so that it
  // is never overwritten by this one.
  PodState state;  // scheduled, pulling: Pending / ContainerCreating
  state.waiting_reason = "ContainerCreating";
  if (!launch.config_error.empty()) {
    state.waiting_reason = "CreateContainerConfigError";
    state.waiting_message = launch.config_error;
  }
  sink->ReportPodState(ns, name, state);
  std::optional<nlohmann::json> early;
  {
    absl::MutexLock lock(&mu_);
    Pod& entry = pods_[{ns, name}];
    entry.sink = sink;
    entry.ip = absl::StrCat("10.244.0.", next_ip_++ % 250 + 2);
    if (auto it = early_.find({ns, name}); it != early_.end()) {
      early = std::move(it->second);
      early_.erase(it);
    }
  }
  if (early.has_value()) Script(ns, name, *early).IgnoreError();
}

void ScriptedPodRunner::Stop(const std::string& ns, const std::string& name) {
  absl::MutexLock lock(&mu_);
  pods_.erase({ns, name});
  early_.erase({ns, name});
}

absl::StatusOr<std::string> ScriptedPodRunner::Logs(
    const std::string& ns, const std::string& name,
    const std::string& container) {
  (void)container;  // one log per pod: scripts address the first container
  absl::MutexLock lock(&mu_);
  auto it = pods_.find({ns, name});
  if (it == pods_.end()) {
    return absl::NotFoundError(
        absl::StrCat("pod ", ns, "/", name, " is not known to the runner"));
  }
  return it->second.logs;
}

absl::Status ScriptedPodRunner::Script(const std::string& ns,
                                       const std::string& name,
                                       const nlohmann::json& script) {
  absl::StatusOr<PodState> state = PodStateFromScript(script, absl::Now());
  if (!state.ok()) return state.status();
  PodStatusSink* sink;
  {
    absl::MutexLock lock(&mu_);
    auto it = pods_.find({ns, name});
    if (it == pods_.end()) {
      // The cluster knows the pod (it checked) but has not started it.
      early_[{ns, name}] = script;
      return absl::OkStatus();
    }
    if (script.contains("logs")) {
      it->second.logs = script["logs"].get<std::string>();
    }
    if (state->phase != "Pending") state->pod_ip = it->second.ip;
    sink = it->second.sink;
  }
  sink->ReportPodState(ns, name, *state);
  return absl::OkStatus();
}

}  // namespace tao::fakes::kubernetes
