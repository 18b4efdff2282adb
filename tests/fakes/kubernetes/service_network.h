// The fake cluster's data path for Services, for pods that run for real
// (DockerPodRunner): kube-proxy's node ports on the fake node (127.0.0.1)
// and a cloud load balancer for LoadBalancer Services, which gets a
// loopback address of its own (127.0.1.N) and listens on the Service's
// ports there. Each connection goes to a ready pod the Service selects at
// that moment; with none, it is closed (no endpoints). ClusterIP addresses
// are not routed (they are only reachable inside a real cluster).
#ifndef TAO_TESTS_FAKES_KUBERNETES_SERVICE_NETWORK_H_
#define TAO_TESTS_FAKES_KUBERNETES_SERVICE_NETWORK_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/tcp_forwarder.h"
#include "tests/fakes/kubernetes/fake_node.h"

namespace tao::fakes::kubernetes {

class ServiceNetwork {
 public:
  // A ready endpoint of port `port_index` of Service `ns`/`name`, if any.
  using EndpointLookup = std::function<std::optional<TcpBackend>(
      const std::string& ns, const std::string& name, size_t port_index)>;
  explicit ServiceNetwork(EndpointLookup lookup);
  ~ServiceNetwork();

  // Opens the node ports and, for a LoadBalancer, the balancer's ports.
  // Returns the status.loadBalancer.ingress entry to publish ({"ip": ...}),
  // or null when the Service gets none. Errors: UNAVAILABLE when a port
  // cannot be listened on.
  absl::StatusOr<nlohmann::json> Expose(const nlohmann::json& service);
  // Closes what Expose opened for the Service (nothing when none).
  void Unexpose(const std::string& ns, const std::string& name);
  // True when a node port can be listened on here now (other processes
  // of this machine may hold it).
  static bool NodePortFree(int port);

 private:
  using Key = std::pair<std::string, std::string>;
  const EndpointLookup lookup_;
  absl::Mutex mu_;
  std::map<Key, std::vector<std::unique_ptr<TcpForwarder>>> open_
      ABSL_GUARDED_BY(mu_);
  int next_balancer_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_SERVICE_NETWORK_H_
