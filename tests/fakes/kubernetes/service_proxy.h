// The API server's Service proxy:
//   /api/v1/namespaces/<ns>/services/<name>[:<port>]/proxy/<path>
// relays the request to a ready pod the Service selects (its targetPort)
// and returns the pod's answer as it came; what `kubectl get --raw` and
// `kubectl proxy` reach ClusterIP Services with. <port> is a port's number
// or name (optional with one port). 404 for a missing Service, 503
// ServiceUnavailable `no endpoints available for service "<name>"` without
// a ready pod (pkg/registry/core/service/storage ResourceLocation; wording
// from the source, not measured here).
#ifndef TAO_TESTS_FAKES_KUBERNETES_SERVICE_PROXY_H_
#define TAO_TESTS_FAKES_KUBERNETES_SERVICE_PROXY_H_

#include <string>

#include "httplib.h"
#include "tests/fakes/kubernetes/cluster.h"

namespace tao::fakes::kubernetes {

// `name_port`: "<name>" or "<name>:<port>"; `path`: what follows /proxy
// ("" or "/...").
void HandleServiceProxy(Cluster& cluster, const std::string& ns,
                        const std::string& name_port, const std::string& path,
                        const httplib::Request& request,
                        httplib::Response& response);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_SERVICE_PROXY_H_
