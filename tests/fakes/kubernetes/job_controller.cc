#include "tests/fakes/kubernetes/job_controller.h"

#include "absl/strings/str_cat.h"
#include "tests/fakes/kubernetes/fake_node.h"
#include "tests/fakes/kubernetes/pod_state.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

bool PodReady(const json& pod) {
  for (const json& c : pod["status"].value("conditions", json::array())) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

// Keeps a condition's first transition time across reconciles.
json JobCondition(const json& old_status, const std::string& type,
                  const std::string& reason, const std::string& message,
                  absl::Time now) {
  for (const json& c : old_status.value("conditions", json::array())) {
    if (c.value("type", "") == type) return c;
  }
  return {{"type", type},
          {"status", "True"},
          {"lastProbeTime", Rfc3339(now)},
          {"lastTransitionTime", Rfc3339(now)},
          {"reason", reason},
          {"message", message}};
}

}  // namespace

bool OwnedBy(const json& pod, const std::string& uid) {
  for (const json& ref :
       pod["metadata"].value("ownerReferences", json::array())) {
    if (ref.value("uid", "") == uid && ref.value("controller", false)) {
      return true;
    }
  }
  return false;
}

json NewJobPod(const json& job, const std::string& suffix) {
  const json& meta = job["metadata"];
  const json& template_ = job["spec"]["template"];
  std::string name = meta.value("name", "");
  json pod = {{"kind", "Pod"}, {"apiVersion", "v1"}};
  json pod_meta = {
      {"name", absl::StrCat(name, "-", suffix)},
      {"generateName", absl::StrCat(name, "-")},
      {"namespace", meta.value("namespace", "")},
      {"labels", template_["metadata"].value("labels", json::object())}};
  if (template_["metadata"].contains("annotations")) {
    pod_meta["annotations"] = template_["metadata"]["annotations"];
  }
  pod_meta["ownerReferences"] = json::array({{{"apiVersion", "batch/v1"},
                                              {"kind", "Job"},
                                              {"name", name},
                                              {"uid", meta.value("uid", "")},
                                              {"controller", true},
                                              {"blockOwnerDeletion", true}}});
  pod_meta["finalizers"] = json::array({"batch.kubernetes.io/job-tracking"});
  pod["metadata"] = pod_meta;
  pod["spec"] = template_["spec"];
  pod["spec"]["nodeName"] = kNodeName;
  pod["status"] = {{"phase", "Pending"}, {"qosClass", "BestEffort"}};
  return pod;
}

JobDecision ReconcileJob(const json& job, const std::vector<json>& pods,
                         absl::Time now) {
  const json& old_status = job["status"];
  const json& spec = job["spec"];
  int completions = spec.value("completions", 1);
  int backoff_limit = spec.value("backoffLimit", 6);
  int active = 0, ready = 0, succeeded = 0, failed = 0, terminating = 0;
  for (const json& pod : pods) {
    std::string phase = pod["status"].value("phase", "Pending");
    if (phase == "Succeeded") {
      ++succeeded;
    } else if (phase == "Failed") {
      ++failed;
    } else if (pod["metadata"].contains("deletionTimestamp")) {
      ++terminating;
    } else {
      ++active;
      if (PodReady(pod)) ++ready;
    }
  }
  json status = json::object();
  status["startTime"] = old_status.value("startTime", Rfc3339(now));
  // active/succeeded/failed are omitempty; ready and terminating are
  // pointers and always present on a 1.29+ server.
  if (active > 0) status["active"] = active;
  if (succeeded > 0) status["succeeded"] = succeeded;
  if (failed > 0) status["failed"] = failed;
  status["ready"] = ready;
  status["terminating"] = terminating;
  status["uncountedTerminatedPods"] = json::object();
  JobDecision decision;
  if (succeeded >= completions) {
    // 1.31+: SuccessCriteriaMet precedes Complete.
    status["conditions"] = json::array(
        // SuccessCriteriaMet's message is unverified (the reference gives
        // only Complete's).
        {JobCondition(old_status, "SuccessCriteriaMet", "CompletionsReached",
                      "Job has reached the specified number of completions",
                      now),
         JobCondition(old_status, "Complete", "CompletionsReached",
                      "Job has reached the specified number of completions",
                      now)});
    status["completionTime"] = old_status.value("completionTime", Rfc3339(now));
  } else if (failed > backoff_limit) {
    // 1.31+: FailureTarget precedes Failed.
    status["conditions"] = json::array(
        {JobCondition(old_status, "FailureTarget", "BackoffLimitExceeded",
                      "Job has reached the specified backoff limit", now),
         JobCondition(old_status, "Failed", "BackoffLimitExceeded",
                      "Job has reached the specified backoff limit", now)});
  } else {
    decision.create_pod =
        active == 0 && terminating == 0 && !spec.value("suspend", false);
  }
  decision.status = status;
  return decision;
}

}  // namespace tao::fakes::kubernetes
