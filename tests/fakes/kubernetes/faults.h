// The Kubernetes fake's form of a scripted fault (the control path's
// POST /_fake/faults); FaultPlan (tests/fakes/common/fault_plan.h) keeps
// and matches them against the whole request path.
#ifndef TAO_TESTS_FAKES_KUBERNETES_FAULTS_H_
#define TAO_TESTS_FAKES_KUBERNETES_FAULTS_H_

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/fault_plan.h"

namespace tao::fakes::kubernetes {

// {"method","path","count","code","delay_ms","message"}; "path" (an
// ECMAScript regex) is required; code one of 0 (delay only), 401, 403,
// 409, 429, 500, 504, and the Fault's status. A field of the wrong JSON
// type throws nlohmann::json::type_error (answered 400 by the server).
absl::StatusOr<Fault> FaultFromJson(const nlohmann::json& spec);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_FAULTS_H_
