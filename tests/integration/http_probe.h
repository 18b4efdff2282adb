// Plain HTTP calls from tests to the reference backend's control routes
// (/_reference/launch, /_reference/control, /_reference/requests).
#ifndef TAO_TESTS_INTEGRATION_HTTP_PROBE_H_
#define TAO_TESTS_INTEGRATION_HTTP_PROBE_H_

#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace tao::integration {

// GET `url`; the body parsed as JSON. Errors: UNAVAILABLE, or INTERNAL for
// a non-200 answer or a body that is not JSON.
absl::StatusOr<nlohmann::json> GetJson(const std::string& url);

// POST `body` as JSON to `url`; the answer parsed as JSON (null if empty).
absl::StatusOr<nlohmann::json> PostJson(const std::string& url,
                                        const nlohmann::json& body);

}  // namespace tao::integration

#endif  // TAO_TESTS_INTEGRATION_HTTP_PROBE_H_
