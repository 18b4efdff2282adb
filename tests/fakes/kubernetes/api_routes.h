// The Kubernetes REST paths (reference section 1) translated to Cluster
// calls: discovery, OpenAPI, create/get/list/watch/delete of the served
// resources, pods/log.
#ifndef TAO_TESTS_FAKES_KUBERNETES_API_ROUTES_H_
#define TAO_TESTS_FAKES_KUBERNETES_API_ROUTES_H_

#include <string>

#include "absl/time/time.h"
#include "httplib.h"
#include "tests/fakes/kubernetes/cluster.h"

namespace tao::fakes::kubernetes {

struct ApiContext {
  Cluster* cluster = nullptr;
  std::string server_address;  // "127.0.0.1:PORT"
  absl::Duration max_watch = absl::Seconds(3);
};

// Answers any request that is not under /_fake/ (after auth and faults).
void HandleApiRequest(const ApiContext& context,
                      const httplib::Request& request,
                      httplib::Response& response);

// Writes an Answer (JSON or text) to the response.
void SendAnswer(const Answer& answer, httplib::Response& response);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_API_ROUTES_H_
