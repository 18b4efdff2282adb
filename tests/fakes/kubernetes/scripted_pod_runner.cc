#include "tests/fakes/kubernetes/scripted_pod_runner.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tao::fakes::kubernetes {

void ScriptedPodRunner::Start(const nlohmann::json& pod, PodStatusSink* sink) {
  std::string ns = pod["metadata"].value("namespace", "");
  std::string name = pod["metadata"].value("name", "");
  {
    absl::MutexLock lock(&mu_);
    Pod& entry = pods_[{ns, name}];
    entry.sink = sink;
    entry.ip = absl::StrCat("10.244.0.", next_ip_++ % 250 + 2);
  }
  PodState state;  // scheduled, pulling: Pending / ContainerCreating
  state.waiting_reason = "ContainerCreating";
  sink->ReportPodState(ns, name, state);
}

void ScriptedPodRunner::Stop(const std::string& ns, const std::string& name) {
  absl::MutexLock lock(&mu_);
  pods_.erase({ns, name});
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
      return absl::NotFoundError(
          absl::StrCat("pod ", ns, "/", name,
                       " does not exist (list pods to find its name)"));
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
