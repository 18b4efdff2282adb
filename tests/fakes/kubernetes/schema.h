// The field names of the types the fake accepts, for fieldValidation
// (kubernetes.io/docs/reference/using-api/api-concepts/#field-validation):
// Strict turns an unknown field into a 400, Warn (the default) into a
// "Warning: 299" header, Ignore drops it. Deep, rarely used structures
// (probes, affinity, security contexts, ...) are not described and accept
// any field, so unknown fields inside them go unnoticed.
#ifndef TAO_TESTS_FAKES_KUBERNETES_SCHEMA_H_
#define TAO_TESTS_FAKES_KUBERNETES_SCHEMA_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

// Paths of the unknown fields of `object` read as `type` ("Job", "Pod",
// "Service", "Secret", "DeleteOptions"), e.g. "spec.foo" or
// "spec.template.spec.containers[0].foo" (the array form is unverified).
std::vector<std::string> UnknownFields(const std::string& type,
                                       const nlohmann::json& object);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_SCHEMA_H_
