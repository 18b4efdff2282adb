// A PodRunner that runs each pod's first container on the real local Docker
// engine, as a kubelet would: ContainerCreating while the image is looked
// up, ErrImagePull then ImagePullBackOff when the engine cannot get it,
// CreateContainerConfigError when a referenced Secret is missing, Running
// (ready, with the container's bridge address as pod IP) once it started,
// and terminated with its exit code (Completed, Error or OOMKilled) when it
// stops. Pods are never restarted: the fake's Jobs use restartPolicy Never.
//
// Not modelled: readiness probes (a running container is ready), resource
// limits (no GPU is attached; the fake node only advertises them), volumes
// other than a memory emptyDir at /dev/shm (its sizeLimit becomes the
// container's shm size).
#ifndef TAO_TESTS_FAKES_KUBERNETES_DOCKER_POD_RUNNER_H_
#define TAO_TESTS_FAKES_KUBERNETES_DOCKER_POD_RUNNER_H_

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "tests/fakes/common/docker_containers.h"
#include "tests/fakes/kubernetes/pod_runner.h"

namespace tao::fakes::kubernetes {

class DockerPodRunner : public PodRunner {
 public:
  struct Options {
    std::string docker_host;  // "" : DefaultDockerHost()
    // Every container carries label kOwnerLabel=owner, so that a test can
    // remove what a killed fake left behind.
    std::string owner;
    // How long ErrImagePull shows before ImagePullBackOff.
    absl::Duration pull_backoff = absl::Seconds(1);
  };
  static constexpr char kOwnerLabel[] = "tao.fake-kube-apiserver/owner";

  static absl::StatusOr<std::unique_ptr<DockerPodRunner>> Create(
      Options options);
  // Removes every container it started.
  ~DockerPodRunner() override;

  void Start(const PodLaunch& launch, PodStatusSink* sink) override;
  void Stop(const std::string& ns, const std::string& name) override;
  absl::StatusOr<std::string> Logs(const std::string& ns,
                                   const std::string& name,
                                   const std::string& container) override;

  // Removes the containers of runners with `owner` on `docker_host` (what
  // a fake that was killed, or a failed test, left behind).
  static void RemoveLeftovers(const std::string& docker_host,
                              const std::string& owner);

  // The engine container that runs pod `ns`/`name`.
  static std::string ContainerName(const std::string& ns,
                                   const std::string& name);

 private:
  using PodKey = std::pair<std::string, std::string>;
  DockerPodRunner(Options options, std::unique_ptr<DockerContainers> docker);
  // The kubelet's work for one pod, on a thread of its own.
  void RunPod(PodLaunch launch, PodStatusSink* sink, int generation);
  // True once the pod's start `generation` was stopped (or the runner is
  // shutting down).
  bool Stopped(const PodKey& key, int generation) ABSL_LOCKS_EXCLUDED(mu_);

  const Options options_;
  const std::unique_ptr<DockerContainers> docker_;
  absl::Mutex mu_;
  // Pods started and not stopped, by the generation of their start (a pod
  // name may come back after a delete).
  std::map<PodKey, int> live_ ABSL_GUARDED_BY(mu_);
  int generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool shutting_down_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_DOCKER_POD_RUNNER_H_
