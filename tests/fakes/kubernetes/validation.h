// Name and label rules, with the apiserver's exact messages
// (staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go).
#ifndef TAO_TESTS_FAKES_KUBERNETES_VALIDATION_H_
#define TAO_TESTS_FAKES_KUBERNETES_VALIDATION_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/fakes/kubernetes/status.h"

namespace tao::fakes::kubernetes {

// Each returns the messages validation.go returns (empty when valid).
std::vector<std::string> IsDns1123Subdomain(const std::string& value);
std::vector<std::string> IsDns1123Label(const std::string& value);
std::vector<std::string> IsDns1035Label(const std::string& value);
std::vector<std::string> IsValidLabelValue(const std::string& value);
std::vector<std::string> IsQualifiedName(const std::string& value);

// field errors of a labels map at `field` ("metadata.labels").
void ValidateLabels(const nlohmann::json& labels, const std::string& field,
                    std::vector<FieldError>* errors);

// metadata.name / generateName of a new object. dns1035 selects the Service
// rule instead of the subdomain rule.
void ValidateObjectName(const nlohmann::json& metadata, bool dns1035,
                        std::vector<FieldError>* errors);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_VALIDATION_H_
