// What a service's Job and pod objects say about it, as a RuntimeState.
// The Job alone cannot tell: an image that cannot be pulled never fails a
// Job (it stays active), so the pod's container status decides
// (k8s-fake-fidelity.md §5; waiting reasons from pkg/kubelet/images/types.go
// and pkg/kubelet/container/sync_result.go).
#ifndef TAO_PLATFORMS_KUBERNETES_WORKLOAD_STATUS_H_
#define TAO_PLATFORMS_KUBERNETES_WORKLOAD_STATUS_H_

#include "nlohmann/json.hpp"
#include "platforms/platform.h"

namespace tao::platforms::kubernetes {

// `job` is the Job object; `pod` its newest pod, or null when it has none
// yet. kExited carries the exit code when a container terminated, and the
// image's name when it cannot be pulled.
RuntimeState WorkloadState(const nlohmann::json& job,
                           const nlohmann::json* pod);

// The newest pod of a PodList (by creationTimestamp, then name); null when
// the list has none.
const nlohmann::json* NewestPod(const nlohmann::json& pod_list);

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_WORKLOAD_STATUS_H_
