// The Job controller's observable behaviour, as pure functions the Cluster
// calls: one pod per Job at a time (parallelism and completions beyond 1
// are not modelled), a replacement while failures stay within
// backoffLimit, and the Job status fields and conditions of a 1.31 server
// (reference section 5; staging/src/k8s.io/api/batch/v1/types.go).
#ifndef TAO_TESTS_FAKES_KUBERNETES_JOB_CONTROLLER_H_
#define TAO_TESTS_FAKES_KUBERNETES_JOB_CONTROLLER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

// A pod for `job` named "<job>-<suffix>" (suffix: 5 random characters).
nlohmann::json NewJobPod(const nlohmann::json& job, const std::string& suffix);

struct JobDecision {
  nlohmann::json status;
  bool create_pod = false;  // no active pod and the Job is not finished
};

// `pods`: the Job's current pods (ownerReferences to it).
JobDecision ReconcileJob(const nlohmann::json& job,
                         const std::vector<nlohmann::json>& pods,
                         absl::Time now);

// True when the pod is owned (controller reference) by the Job `uid`.
bool OwnedBy(const nlohmann::json& pod, const std::string& uid);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_JOB_CONTROLLER_H_
