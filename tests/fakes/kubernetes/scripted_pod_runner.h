// A PodRunner that runs nothing: a new pod waits in ContainerCreating (or
// CreateContainerConfigError) until the control path scripts its state and
// logs.
#ifndef TAO_TESTS_FAKES_KUBERNETES_SCRIPTED_POD_RUNNER_H_
#define TAO_TESTS_FAKES_KUBERNETES_SCRIPTED_POD_RUNNER_H_

#include <map>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "tests/fakes/kubernetes/pod_runner.h"

namespace tao::fakes::kubernetes {

class ScriptedPodRunner : public PodRunner {
 public:
  void Start(const PodLaunch& launch, PodStatusSink* sink) override;
  void Stop(const std::string& ns, const std::string& name) override;
  absl::StatusOr<std::string> Logs(const std::string& ns,
                                   const std::string& name,
                                   const std::string& container) override;
  // Also takes "logs": the text pods/log returns from now on.
  absl::Status Script(const std::string& ns, const std::string& name,
                      const nlohmann::json& script) override;

 private:
  struct Pod {
    PodStatusSink* sink = nullptr;
    std::string logs;
    std::string ip;
  };
  absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, Pod> pods_ ABSL_GUARDED_BY(mu_);
  // Scripts for pods the cluster made but has not handed to Start yet (it
  // starts pods after releasing its lock); Start applies them.
  std::map<std::pair<std::string, std::string>, nlohmann::json> early_
      ABSL_GUARDED_BY(mu_);
  int next_ip_ ABSL_GUARDED_BY(mu_) = 10;
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_SCRIPTED_POD_RUNNER_H_
