// What the apiserver does to a new object before storing it: the kind's
// defaults (SetDefaults_* in pkg/apis/*/v1/defaults.go), PrepareForCreate
// (pkg/registry/*/strategy.go) and validation (pkg/apis/*/validation). Only
// the parts real clients and the driver can observe; see README.md.
#ifndef TAO_TESTS_FAKES_KUBERNETES_OBJECT_DEFAULTS_H_
#define TAO_TESTS_FAKES_KUBERNETES_OBJECT_DEFAULTS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/kubernetes/status.h"

namespace tao::fakes::kubernetes {

// The server-filled metadata: uid, creationTimestamp, generation 1,
// namespace, managedFields for `manager`.
void FillMetadata(nlohmann::json& object, const std::string& ns,
                  const std::string& uid, const std::string& manager,
                  absl::Time now);

// Jobs: status cleared, spec defaults, the controller-uid selector and the
// template labels (staging/src/k8s.io/api/batch/v1/types.go JobNameLabel,
// ControllerUidLabel; pkg/registry/batch/job/strategy.go).
void DefaultJob(nlohmann::json& job, const std::string& uid);
std::vector<FieldError> ValidateJob(const nlohmann::json& job);

void DefaultPodSpec(nlohmann::json& spec, const std::string& restart_policy);
// prefix: "spec" for pods, "spec.template.spec" for jobs.
void ValidatePodSpec(const nlohmann::json& spec, const std::string& prefix,
                     std::vector<FieldError>* errors);
std::vector<FieldError> ValidatePod(const nlohmann::json& pod);

// Services. The allocators hand out a cluster IP and free node ports; a
// requested nodePort is checked with `node_port_taken`.
struct ServiceAllocator {
  // The apiserver's --service-node-port-range.
  int node_port_min = 30000;
  int node_port_max = 32767;
  std::function<std::string()> cluster_ip;
  std::function<int()> node_port;
  std::function<bool(int)> node_port_taken;
};
std::vector<FieldError> ValidateService(const nlohmann::json& service,
                                        const ServiceAllocator& allocator);
void DefaultService(nlohmann::json& service, const ServiceAllocator& allocator);

// Secrets: type Opaque, stringData merged into data (base64) and dropped.
void DefaultSecret(nlohmann::json& secret);
std::vector<FieldError> ValidateSecret(const nlohmann::json& secret);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_OBJECT_DEFAULTS_H_
