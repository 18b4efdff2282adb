// What reaches a ClusterIP Service from this host: a listener tao-inferd
// owns on 127.0.0.1 that relays each HTTP request, with the kubeconfig's
// credentials, through the API server's Service proxy
// (/api/v1/namespaces/<ns>/services/<name>:<port>/proxy/<path>) and returns
// the answer as it came. The workload's host_url is this listener, so the
// server's readiness polls and Infer calls reach the pod over the API
// server, as `kubectl port-forward` would give for HTTP, without kubectl
// and without a second copy of the credentials. It lives as long as the
// server process; a restarted server opens it again (EnsureReachable).
#ifndef TAO_PLATFORMS_KUBERNETES_CLUSTER_IP_FORWARD_H_
#define TAO_PLATFORMS_KUBERNETES_CLUSTER_IP_FORWARD_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/kubernetes/kube_api.h"

namespace httplib {
class Server;
}

namespace tao::platforms::kubernetes {

class ClusterIpForward {
 public:
  // Listens on 127.0.0.1:`local_port` and relays to port `service_port`
  // of Service `ns`/`name` through `api` (which must outlive it). Errors:
  // UNAVAILABLE naming the port when it cannot listen there.
  static absl::StatusOr<std::unique_ptr<ClusterIpForward>> Open(
      KubeApi* api, const std::string& ns, const std::string& name,
      int service_port, int local_port, absl::Duration request_timeout);
  // Stops listening; requests in flight are answered first.
  ~ClusterIpForward();

  int local_port() const { return local_port_; }
  std::string url() const;

 private:
  ClusterIpForward() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int local_port_ = 0;
};

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_CLUSTER_IP_FORWARD_H_
