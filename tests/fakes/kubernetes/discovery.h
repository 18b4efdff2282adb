// The documents clients read before they act: /version, legacy discovery
// (/api, /apis, /api/v1, /apis/batch/v1) and the minimal OpenAPI v3 that
// lets kubectl's strict validation pass (reference section 2, seen).
// Aggregated discovery is not served: kubectl 1.27-1.29 silently find no
// resources if sent a version they did not ask for, so only the legacy
// form is safe without exact negotiation.
#ifndef TAO_TESTS_FAKES_KUBERNETES_DISCOVERY_H_
#define TAO_TESTS_FAKES_KUBERNETES_DISCOVERY_H_

#include <optional>
#include <string>

#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

// The Kubernetes version the fake imitates (1.31: Job conditions
// SuccessCriteriaMet/FailureTarget, reference section 5).
nlohmann::json VersionDocument();

// server_address: "127.0.0.1:PORT" for serverAddressByClientCIDRs.
nlohmann::json ApiVersionsDocument(const std::string& server_address);
nlohmann::json ApiGroupListDocument();
// path "/api/v1" or "/apis/batch/v1"; nullopt for any other.
std::optional<nlohmann::json> ApiResourceListDocument(const std::string& path);

nlohmann::json OpenApiV3Root();
// path "/openapi/v3/api/v1" or "/openapi/v3/apis/batch/v1".
std::optional<nlohmann::json> OpenApiV3GroupVersion(const std::string& path);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_DISCOVERY_H_
