// The objects one service runs as, as the JSON bodies the driver POSTs: a
// Secret holding only the service's secrets (HF_TOKEN), a batch/v1 Job that
// runs the container once (backoffLimit 0, restartPolicy Never) and a
// Service in front of its pod. Field meanings: batch/v1 and core/v1 types
// (staging/src/k8s.io/api/batch/v1/types.go, core/v1/types.go); the shape
// follows spec.md §6.5 and k8s-fake-fidelity.md §5.
#ifndef TAO_PLATFORMS_KUBERNETES_WORKLOAD_MANIFESTS_H_
#define TAO_PLATFORMS_KUBERNETES_WORKLOAD_MANIFESTS_H_

#include <cstdint>
#include <map>
#include <string>

#include "nlohmann/json.hpp"

namespace tao::platforms::kubernetes {

// The container's one port, the readiness and inference routes' port.
inline constexpr int kServicePort = 8080;
// The container's name in the pod (what `kubectl logs` defaults to).
inline constexpr char kContainerName[] = "service";

struct WorkloadInputs {
  std::string name;  // ObjectName(job_id): Job, Service and Secret
  std::string namespace_;
  std::string job_id;
  std::string network_arch;
  std::string server_instance;
  std::string image;
  std::string inner_command;                      // run as /bin/bash -c
  std::map<std::string, std::string> env;         // plain env entries
  std::map<std::string, std::string> secret_env;  // into the Secret only
  int num_gpus = 1;
  std::string image_pull_secret;              // empty: none
  std::string service_type = "LoadBalancer";  // or NodePort, ClusterIP
  // /dev/shm as a memory-backed emptyDir of this size (PyTorch workers
  // need more than the runtime's 64 MiB default).
  int64_t shm_size_bytes = int64_t{16} << 30;
  // Finished Jobs (and their pods) are removed after this long.
  int ttl_seconds_after_finished = 3600;
};

// The labels every object of the service carries.
nlohmann::json WorkloadLabels(const WorkloadInputs& in);

// A v1 Secret with `secret_env` as stringData. Holds secrets: never log it.
nlohmann::json SecretManifest(const WorkloadInputs& in);

// The batch/v1 Job. Its container reads the Secret through envFrom when
// `secret_env` is not empty; no secret value is in this manifest.
nlohmann::json JobManifest(const WorkloadInputs& in);

// The v1 Service selecting the Job's pod by its job-name label.
nlohmann::json ServiceManifest(const WorkloadInputs& in);

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_WORKLOAD_MANIFESTS_H_
