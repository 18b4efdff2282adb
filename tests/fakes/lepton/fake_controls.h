// What tests steer and read besides the Lepton API: scripted failures of
// the next requests (POST /_fake/faults) and the request log
// (GET /_fake/requests).
#ifndef TAO_TESTS_FAKES_LEPTON_FAKE_CONTROLS_H_
#define TAO_TESTS_FAKES_LEPTON_FAKE_CONTROLS_H_

#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/fault_plan.h"

namespace httplib {
struct Request;
}

namespace tao::fakes::lepton {

// {"method"?, "path"? (ECMAScript regex, default ".*"), "count"? (1),
//  "status"? (500; 0 = delay only; else 400-599), "delay_ms"?,
//  "message"?}; the path is matched against the path below the
// workspace. Errors: INVALID_ARGUMENT, for fields of the wrong JSON type
// too.
absl::StatusOr<Fault> FaultFromJson(const nlohmann::json& spec);

// A request as the request log (tests/fakes/common/request_log.h) keeps
// it: method, path, query, header names (never their values: they carry
// tokens) and body. The values of user secrets and the passwords of image
// pull secrets are replaced by "<redacted>": they stay in the workspace's
// secret store only.
nlohmann::json LogEntry(const httplib::Request& request);

// The body as the request log keeps it.
std::string RedactedBody(const std::string& path, const std::string& body);

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_FAKE_CONTROLS_H_
