// What a pod runner reports about one pod (the kubelet's view), and the
// PodStatus the fake builds from it (fields and reasons from
// staging/src/k8s.io/api/core/v1/types.go and pkg/kubelet/images/types.go,
// pkg/kubelet/container/sync_result.go; reference section 5).
#ifndef TAO_TESTS_FAKES_KUBERNETES_POD_STATE_H_
#define TAO_TESTS_FAKES_KUBERNETES_POD_STATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

struct PodState {
  std::string phase = "Pending";  // Pending Running Succeeded Failed Unknown
  // Non-empty: not scheduled; no container statuses, PodScheduled=False.
  std::string unschedulable_message;
  // The (first) container's state: exactly one of waiting, running,
  // terminated (waiting wins, then terminated).
  std::string waiting_reason;  // ContainerCreating, ImagePullBackOff, ...
  std::string waiting_message;
  bool running = false;
  bool terminated = false;
  int exit_code = 0;
  std::string terminated_reason;  // Completed, Error, OOMKilled, ...
  std::string terminated_message;
  bool ready = false;
  int restart_count = 0;
  std::string pod_ip;        // set when running
  std::string container_id;  // "docker://..." once started
  std::string image_id;      // "" until pulled
  absl::Time started_at = absl::InfinitePast();
  absl::Time finished_at = absl::InfinitePast();
};

// The control path's script ({"phase","waiting":{reason,message},
// "terminated":{exitCode,reason,message},"ready","restartCount",
// "unschedulable"}) as a PodState, filling what the script leaves out the
// way a kubelet would (Succeeded -> terminated Completed/0, ...).
absl::StatusOr<PodState> PodStateFromScript(const nlohmann::json& script,
                                            absl::Time now);

// RFC3339 with a Z, as metav1.Time marshals.
std::string Rfc3339(absl::Time t);

// status of `pod` (uses spec.containers for names and images).
nlohmann::json BuildPodStatus(const nlohmann::json& pod, const PodState& state,
                              absl::Time now);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_POD_STATE_H_
