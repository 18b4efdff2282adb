// The seam between the fake's pods and whatever "runs" them (the kubelet).
// The scripted runner (scripted_pod_runner.h) only does what the control
// path tells it; the Docker runner (docker_pod_runner.h) runs each pod's
// first container on the local engine and reports its real state, so that
// readiness probes and Infer reach a real container.
#ifndef TAO_TESTS_FAKES_KUBERNETES_POD_RUNNER_H_
#define TAO_TESTS_FAKES_KUBERNETES_POD_RUNNER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/kubernetes/pod_state.h"

namespace tao::fakes::kubernetes {

// Where a runner reports pod state changes; thread-safe, may be called from
// any thread, never while the runner is called by the cluster.
class PodStatusSink {
 public:
  virtual ~PodStatusSink() = default;
  virtual void ReportPodState(const std::string& ns, const std::string& name,
                              const PodState& state) = 0;
};

// A pod to run, with what the kubelet resolves before it starts one.
struct PodLaunch {
  nlohmann::json pod;
  // The first container's environment: envFrom sources in order, then env
  // (later names win), with Secret values decoded.
  std::vector<std::pair<std::string, std::string>> env;
  // Non-empty: the container cannot be configured (a referenced Secret or
  // key is missing); the kubelet then waits with CreateContainerConfigError
  // and this message, and never starts it.
  std::string config_error;
};

class PodRunner {
 public:
  virtual ~PodRunner() = default;
  // A pod was created; report its states through `sink` (which outlives the
  // runner). Called without the cluster's lock held.
  virtual void Start(const PodLaunch& launch, PodStatusSink* sink) = 0;
  // The pod was deleted.
  virtual void Stop(const std::string& ns, const std::string& name) = 0;
  // What the container printed so far (the pods/log body).
  virtual absl::StatusOr<std::string> Logs(const std::string& ns,
                                           const std::string& name,
                                           const std::string& container) = 0;
  // The control path's pod script; only a scripted runner accepts it.
  virtual absl::Status Script(const std::string& ns, const std::string& name,
                              const nlohmann::json& script) {
    (void)ns;
    (void)name;
    (void)script;
    return absl::FailedPreconditionError(
        "this fake runs pods for real; pod states cannot be scripted");
  }
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_POD_RUNNER_H_
