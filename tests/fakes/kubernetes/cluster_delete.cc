// Cluster: DELETE with its propagation policies, and the garbage collector
// that finishes foreground and orphan deletes.
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "tests/fakes/kubernetes/cluster.h"
#include "tests/fakes/kubernetes/job_controller.h"
#include "tests/fakes/kubernetes/object_meta.h"
#include "tests/fakes/kubernetes/pod_state.h"
#include "tests/fakes/kubernetes/service_network.h"

namespace tao::fakes::kubernetes {

using nlohmann::json;

Answer Cluster::Delete(const ResourceInfo& info, const std::string& ns,
                       const std::string& name, const json& options) {
  if (!info.namespaced) return FromError(MethodNotAllowed());
  std::string policy = options.value("propagationPolicy", "");
  bool orphan_false = options.contains("orphanDependents") &&
                      options["orphanDependents"] == false;
  if (policy.empty() && options.contains("orphanDependents")) {
    policy = options["orphanDependents"] == true ? "Orphan" : "Background";
  }
  if (!policy.empty() && policy != "Orphan" && policy != "Foreground" &&
      policy != "Background") {
    return FromError(InvalidObject(
        {"", "v1", "", "", "DeleteOptions", {}, {}, true}, "",
        {NotSupported("propagationPolicy", policy,
                      {"Foreground", "Background", "Orphan", "nil"})}));
  }
  std::vector<json> to_start;
  std::vector<std::string> stopped;
  Answer answer;
  {
    absl::MutexLock lock(&mu_);
    const json* found = store_.Get(info.resource, ns, name);
    if (found == nullptr) return FromError(NotFound(info, name));
    json object = *found;
    std::string uid = object["metadata"].value("uid", "");
    absl::Time now = absl::Now();
    if (info.resource == "jobs") {
      if (policy.empty()) {
        // batch/v1 Jobs default to Orphan and warn
        // (pkg/registry/batch/job/strategy.go, .../job/storage/storage.go).
        policy = "Orphan";
        answer.headers.emplace_back(
            "Warning",
            "299 - \"child pods are preserved by default when jobs are "
            "deleted; set propagationPolicy=Background to remove them or set "
            "propagationPolicy=Orphan to suppress this warning\"");
      }
      if (policy == "Background") {
        store_.Remove("jobs", ns, name);
        for (const json& pod : OwnedPods(ns, uid)) {
          RemovePodLocked(ns, Name(pod), &to_start);
          stopped.push_back(Name(pod));
        }
        // No ReturnDeletedObject for Jobs: a Success Status
        // (finalizeDelete, registry/store.go).
        answer.code = 200;
        answer.body = DeleteSuccess(info, name, uid);
      } else {
        object["metadata"]["deletionTimestamp"] = Rfc3339(now);
        object["metadata"]["deletionGracePeriodSeconds"] = 0;
        AddFinalizer(object,
                     policy == "Foreground" ? "foregroundDeletion" : "orphan");
        json stored = store_.Put("jobs", ns, name, object, false);
        gc_.push_back({now + options_.gc_delay, "jobs", ns, name});
        // handlers/delete.go: 202 only for orphanDependents=false when the
        // object is still there.
        answer.code = orphan_false ? 202 : 200;
        answer.body = stored;
      }
    } else if (info.resource == "pods") {
      object["metadata"]["deletionTimestamp"] = Rfc3339(now);
      object["metadata"]["deletionGracePeriodSeconds"] = 0;
      RemovePodLocked(ns, name, &to_start);
      stopped.push_back(name);
      // ReturnDeletedObject: true (pkg/registry/core/pod/storage/storage.go).
      // The fake deletes at once; a real pod lingers for its grace period.
      answer.body = object;
    } else if (info.resource == "services") {
      store_.Remove("services", ns, name);
      for (const json& p : object["spec"].value("ports", json::array())) {
        if (p.contains("nodePort")) node_ports_.erase(p["nodePort"].get<int>());
      }
      // Unverified (general knowledge): the Service store returns the
      // deleted object. kubectl's output is the same either way.
      answer.body = object;
    } else {
      store_.Remove(info.resource, ns, name);
      answer.body = DeleteSuccess(info, name, uid);
    }
  }
  if (options_.runner != nullptr) {
    for (const std::string& pod : stopped) options_.runner->Stop(ns, pod);
  }
  if (info.resource == "services" && options_.network != nullptr) {
    options_.network->Unexpose(ns, name);
  }
  StartPods(to_start);
  return answer;
}

void Cluster::FinishDeleteLocked(const GcTask& task,
                                 std::vector<std::string>* stopped) {
  const json* found = store_.Get(task.resource, task.ns, task.name);
  if (found == nullptr) return;
  json object = *found;
  std::string uid = object["metadata"].value("uid", "");
  bool foreground = false;
  for (const json& f : object["metadata"].value("finalizers", json::array())) {
    if (f == "foregroundDeletion") foreground = true;
  }
  std::vector<json> unused;
  for (json pod : OwnedPods(task.ns, uid)) {
    if (foreground) {
      store_.Remove("pods", task.ns, Name(pod));
      stopped->push_back(Name(pod));
    } else {
      // Orphan: the GC drops the owner reference and keeps the pod.
      json refs = json::array();
      for (const json& ref : pod["metadata"]["ownerReferences"]) {
        if (ref.value("uid", "") != uid) refs.push_back(ref);
      }
      pod["metadata"]["ownerReferences"] = refs;
      if (refs.empty()) pod["metadata"].erase("ownerReferences");
      store_.Put("pods", task.ns, Name(pod), pod, false);
    }
  }
  store_.Remove(task.resource, task.ns, task.name);
}

void Cluster::GcLoop() {
  while (true) {
    std::vector<std::pair<std::string, std::string>> stopped;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(
          absl::Condition(
              +[](bool* stopping) { return *stopping; }, &stopping_),
          absl::Milliseconds(20));
      if (stopping_) return;
      absl::Time now = absl::Now();
      while (!gc_.empty() && gc_.front().when <= now) {
        GcTask task = gc_.front();
        gc_.pop_front();
        std::vector<std::string> names;
        FinishDeleteLocked(task, &names);
        for (const std::string& n : names) stopped.emplace_back(task.ns, n);
      }
    }
    if (options_.runner != nullptr) {
      for (const auto& [ns, name] : stopped) options_.runner->Stop(ns, name);
    }
  }
}

}  // namespace tao::fakes::kubernetes
