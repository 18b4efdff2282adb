// The "kubernetes" platform: each service runs as a batch/v1 Job (one pod,
// never restarted) with a per-job Secret holding its secrets and a Service
// in front of the pod, created through the API server's REST API (no
// kubectl at run time). host_url is the LoadBalancer's ingress address, a
// node's address and the NodePort, or, for ClusterIP, a forward this
// process owns through the API server's Service proxy
// (cluster_ip_forward.h).
//
// Environment (read once at server start):
//   KUBECONFIG, ~/.kube/config or in-cluster credentials (kube_credentials.h)
//   TAO_K8S_CONTEXT        kubeconfig context (default: current-context)
//   TAO_K8S_SERVICE_TYPE   LoadBalancer (default), NodePort or ClusterIP
//   TAO_K8S_IMAGE_PULL_SECRET  docker-registry Secret for every pod
// Credentials are loaded at the first call that needs them, and again at
// the next call while they cannot be: a server without a kubeconfig still
// starts, and its Kubernetes calls say what is missing.
//
// Tested against the fake API server (tests/fakes/kubernetes), whose pods
// run on the real Docker engine.
#ifndef TAO_PLATFORMS_KUBERNETES_KUBERNETES_PLATFORM_H_
#define TAO_PLATFORMS_KUBERNETES_KUBERNETES_PLATFORM_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platforms/kubernetes/cluster_ip_forward.h"
#include "platforms/kubernetes/kube_api.h"
#include "platforms/kubernetes/kube_credentials.h"
#include "platforms/kubernetes/workload_manifests.h"
#include "platforms/platform.h"

namespace tao::platforms::kubernetes {

class KubernetesPlatform : public Platform {
 public:
  struct Options {
    KubeCredentialOptions credentials;
    std::string service_type = "LoadBalancer";
    std::string image_pull_secret;
    absl::Duration request_timeout = absl::Seconds(30);
    // Polling of the pod and the Service's address during Launch.
    absl::Duration poll_min = absl::Milliseconds(200);
    absl::Duration poll_max = absl::Seconds(5);
    // How long a LoadBalancer may take to get an address (the skill waits
    // 24 x 10 s).
    absl::Duration address_wait = absl::Seconds(240);
    int64_t shm_size_bytes = int64_t{16} << 30;
    int ttl_seconds_after_finished = 3600;
    int failure_log_lines = 20;
    // A request through a ClusterIP forward (an Infer may take minutes).
    absl::Duration proxy_timeout = absl::Minutes(10);
  };

  // Errors: INVALID_ARGUMENT for a bad TAO_K8S_* value.
  static absl::StatusOr<Options> OptionsFromEnvironment();
  static absl::StatusOr<std::unique_ptr<KubernetesPlatform>> Create(
      Options options);

  absl::string_view name() const override { return "kubernetes"; }
  absl::string_view execution_backend() const override { return "local-k8s"; }
  // A LoadBalancer or NodePort Service is reached at a cluster address (no
  // host port); a ClusterIP one through a forward on a port of this host.
  std::string HostPortScope(const LaunchSpec& spec) const override;
  std::string HostPortScopeOf(const Placement& placement) const override;
  // Options: namespace, image_pull_secret, service_type.
  absl::Status ValidateOptions(
      const std::map<std::string, std::string>& options) const override;

  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override;
  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override;
  // Inspect; for a running Job without a host_url (a launch cut short by a
  // restart) also creates its Service when missing and looks its address
  // up once (PENDING while a LoadBalancer has none yet).
  absl::StatusOr<RuntimeState> EnsureReachable(Placement& placement) override;
  // Deletes the Job (propagationPolicy Background, so its pod goes too),
  // the Service and the Secret; what is gone already is fine.
  absl::Status Terminate(const Placement& placement) override;
  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override;
  // Jobs labelled with this server instance, in every namespace the
  // credentials may list (else in their own namespace).
  absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance) override;

 private:
  explicit KubernetesPlatform(Options options);

  // The API client; FAILED_PRECONDITION (retried at the next call) while
  // no credentials can be loaded.
  absl::StatusOr<KubeApi*> Api() ABSL_LOCKS_EXCLUDED(mu_);
  // The request's options over the server's defaults.
  absl::StatusOr<WorkloadInputs> InputsFor(const LaunchSpec& spec,
                                           const std::string& default_ns) const;
  // POSTs `object` to `collection`; an object of that name already made by
  // this very launch (a retried create) counts as created.
  absl::Status CreateOnce(KubeApi& api, const std::string& collection,
                          const nlohmann::json& object,
                          const std::string& job_id);
  // The Job's state and newest pod (null when none).
  absl::StatusOr<RuntimeState> StateOf(KubeApi& api, const std::string& ns,
                                       const std::string& name,
                                       nlohmann::json* pod);
  // Polls until the pod runs; kExited and the deadline are errors.
  absl::Status AwaitRunning(KubeApi& api, const LaunchSpec& spec,
                            const WorkloadInputs& in,
                            const ProgressCallback& progress);
  // Where Service `ns`/`name` is reachable from here, if it is yet.
  absl::StatusOr<std::optional<std::string>> HostUrlNow(
      KubeApi& api, const std::string& ns, const std::string& name);
  // HostUrlNow until it answers (address_wait at most).
  absl::StatusOr<std::string> AwaitHostUrl(KubeApi& api, const LaunchSpec& spec,
                                           const WorkloadInputs& in,
                                           const ProgressCallback& progress);
  std::string ServiceTypeOf(const LaunchSpec& spec) const;
  // The ClusterIP forward of `placement` on 127.0.0.1:`local_port`; its URL.
  absl::StatusOr<std::string> OpenForward(KubeApi& api,
                                          const Placement& placement,
                                          int local_port)
      ABSL_LOCKS_EXCLUDED(mu_);
  void CloseForward(const std::string& job_id) ABSL_LOCKS_EXCLUDED(mu_);
  bool HasForward(const std::string& job_id) ABSL_LOCKS_EXCLUDED(mu_);

  const Options options_;
  absl::Mutex mu_;
  std::unique_ptr<KubeApi> api_ ABSL_GUARDED_BY(mu_);
  // By job id; a forward lives as long as this process.
  std::map<std::string, std::unique_ptr<ClusterIpForward>> forwards_
      ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment();

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_KUBERNETES_PLATFORM_H_
