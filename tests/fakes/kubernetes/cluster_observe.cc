// Cluster: pod logs, watch events and the control path's scripting.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/fakes/kubernetes/cluster.h"
#include "tests/fakes/kubernetes/object_meta.h"

namespace tao::fakes::kubernetes {

using nlohmann::json;

Answer Cluster::Logs(const std::string& ns, const std::string& pod_name,
                     const std::string& container, int64_t tail_lines) {
  json pod;
  {
    absl::MutexLock lock(&mu_);
    const json* found = store_.Get("pods", ns, pod_name);
    if (found == nullptr) return FromError(NotFound(PodResource(), pod_name));
    pod = *found;
  }
  std::vector<std::string> names;
  for (const json& c : pod["spec"]["containers"]) names.push_back(c["name"]);
  std::string chosen = container;
  if (chosen.empty()) {
    if (names.size() != 1) {
      return FromError(BadRequest(
          absl::StrCat("a container name must be specified for pod ", pod_name,
                       ", choose one of: [", absl::StrJoin(names, " "), "]")));
    }
    chosen = names[0];
  }
  if (std::find(names.begin(), names.end(), chosen) == names.end()) {
    // Unverified wording (kubelet's "container %s is not valid for pod %s").
    return FromError(BadRequest(absl::StrCat(
        "container ", chosen, " is not valid for pod ", pod_name)));
  }
  const json statuses = pod["status"].value("containerStatuses", json::array());
  if (statuses.empty()) {
    // Unverified wording for a pod no node runs yet.
    return FromError(BadRequest(
        absl::StrCat("pod ", pod_name, " does not have a host assigned")));
  }
  for (const json& cs : statuses) {
    if (cs.value("name", "") == chosen && cs["state"].contains("waiting")) {
      // Reference section 2 (seen).
      return FromError(BadRequest(absl::StrCat(
          "container \"", chosen, "\" in pod \"", pod_name,
          "\" is waiting to start: ",
          cs["state"]["waiting"].value("reason", "ContainerCreating"))));
    }
  }
  if (options_.runner == nullptr) return Answer{200, nullptr, "", {}};
  absl::StatusOr<std::string> logs =
      options_.runner->Logs(ns, pod_name, chosen);
  if (!logs.ok()) return FromError(InternalError(logs.status().ToString()));
  std::string text = *logs;
  if (tail_lines >= 0) {
    // Where each line starts; a final newline ends the last line.
    std::vector<size_t> starts;
    for (size_t i = 0; i < text.size(); ++i) {
      if (i == 0 || text[i - 1] == '\n') starts.push_back(i);
    }
    if (static_cast<size_t>(tail_lines) < starts.size()) {
      text = tail_lines == 0 ? ""
                             : text.substr(starts[starts.size() - tail_lines]);
    }
  }
  return Answer{200, nullptr, text, {}};
}

std::vector<WatchEvent> Cluster::CurrentAsAdded(const ResourceInfo& info,
                                                const std::string& ns,
                                                int64_t* resource_version) {
  absl::MutexLock lock(&mu_);
  *resource_version = store_.resource_version();
  std::vector<WatchEvent> events;
  for (json& object : store_.List(info.resource, ns)) {
    std::string object_ns = object["metadata"].value("namespace", "");
    events.push_back({0, "ADDED", info.resource, object_ns, std::move(object)});
  }
  return events;
}

std::vector<WatchEvent> Cluster::WaitEvents(int64_t after,
                                            absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  struct Args {
    Cluster* self;
    int64_t after;
  } args{this, after};
  mu_.AwaitWithDeadline(absl::Condition(
                            +[](Args* a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                              return a->self->stopping_ ||
                                     a->self->store_.resource_version() >
                                         a->after;
                            },
                            &args),
                        deadline);
  return store_.EventsAfter(after);
}

absl::Status Cluster::ScriptPod(const std::string& ns, const std::string& name,
                                const json& script) {
  {
    absl::MutexLock lock(&mu_);
    if (store_.Get("pods", ns, name) == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("pod ", ns, "/", name, " does not exist"));
    }
  }
  if (options_.runner == nullptr) {
    return absl::FailedPreconditionError("the fake has no pod runner");
  }
  return options_.runner->Script(ns, name, script);
}

absl::StatusOr<std::string> Cluster::JobPodName(const std::string& ns,
                                                const std::string& job) {
  absl::MutexLock lock(&mu_);
  const json* found = store_.Get("jobs", ns, job);
  if (found == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("job ", ns, "/", job, " does not exist"));
  }
  std::vector<json> pods = OwnedPods(ns, (*found)["metadata"].value("uid", ""));
  if (pods.empty()) {
    return absl::NotFoundError(
        absl::StrCat("job ", ns, "/", job, " has no pod"));
  }
  const json* newest = &pods[0];
  for (const json& pod : pods) {
    if (std::stoll(pod["metadata"].value("resourceVersion", "0")) >
        std::stoll((*newest)["metadata"].value("resourceVersion", "0"))) {
      newest = &pod;
    }
  }
  return Name(*newest);
}

absl::Status Cluster::SetLoadBalancerIngress(const std::string& ns,
                                             const std::string& name,
                                             const json& ingress) {
  absl::MutexLock lock(&mu_);
  const json* found = store_.Get("services", ns, name);
  if (found == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("service ", ns, "/", name, " does not exist"));
  }
  json service = *found;
  if (service["spec"].value("type", "") != "LoadBalancer") {
    return absl::FailedPreconditionError(absl::StrCat(
        "service ", ns, "/", name,
        " is not of type LoadBalancer; no controller would set its ingress"));
  }
  json entry = json::object();
  if (ingress.contains("ip")) {
    entry["ip"] = ingress["ip"];
    entry["ipMode"] = "VIP";  // 1.29+
  } else if (ingress.contains("hostname")) {
    entry["hostname"] = ingress["hostname"];
  } else {
    return absl::InvalidArgumentError("ingress needs \"ip\" or \"hostname\"");
  }
  if (ingress.contains("ports")) entry["ports"] = ingress["ports"];
  service["status"]["loadBalancer"]["ingress"] = json::array({entry});
  store_.Put("services", ns, name, service, false);
  return absl::OkStatus();
}

}  // namespace tao::fakes::kubernetes
