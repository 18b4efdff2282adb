// The fake's own control path, under /_fake/ (never a Kubernetes path):
//   POST   /_fake/pods/NS/NAME              script a pod (PodStateFromScript
//                                           body, plus "logs")
//   GET    /_fake/jobs/NS/NAME/pod          {"pod": newest pod of the Job}
//   POST   /_fake/jobs/NS/NAME/pod          script that pod; {"pod": name}
//   POST   /_fake/services/NS/NAME/ingress  {"ip"|"hostname", "ports"?}
//   POST   /_fake/faults                    add a fault (faults.h)
//   DELETE /_fake/faults                    clear faults
//   GET    /_fake/requests                  the request log
//   DELETE /_fake/requests                  clear it
//   GET    /_fake/healthz                   "ok"
#ifndef TAO_TESTS_FAKES_KUBERNETES_CONTROL_ROUTES_H_
#define TAO_TESTS_FAKES_KUBERNETES_CONTROL_ROUTES_H_

#include "httplib.h"
#include "tests/fakes/common/fault_plan.h"
#include "tests/fakes/common/request_log.h"
#include "tests/fakes/kubernetes/cluster.h"

namespace tao::fakes::kubernetes {

struct ControlContext {
  Cluster* cluster = nullptr;
  FaultPlan* faults = nullptr;
  RequestLog* requests = nullptr;
};

void HandleControlRequest(const ControlContext& context,
                          const httplib::Request& request,
                          httplib::Response& response);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_CONTROL_ROUTES_H_
