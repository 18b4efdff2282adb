// The answers the Lepton API gives when it refuses a request: JSON bodies
// {"code","message"} (lepton-api.md §2; [S] cli/util.py explain_response
// prints exactly these two fields) and the gateway's plain-text 401.
#ifndef TAO_TESTS_FAKES_LEPTON_API_ERRORS_H_
#define TAO_TESTS_FAKES_LEPTON_API_ERRORS_H_

#include <string>

#include "nlohmann/json.hpp"

namespace httplib {
struct Response;
}

namespace tao::fakes::lepton {

struct ApiError {
  int status = 500;
  // [C] go-pkg/httperrors/errors.go: InternalFailure, InvalidRequest,
  // ValidationError, ResourceNotFound, ResourceConflict, RequestTimeout.
  // Whether DGXC uses the same strings is not verified.
  std::string code;
  std::string message;
};

// 404 ResourceNotFound "<kind> <name> not found" ([C] handler_deployment.go).
ApiError NotFound(const std::string& kind, const std::string& name);
// 400 ValidationError "invalid deployment spec: <why>".
ApiError InvalidSpec(const std::string& why);
// 400 InvalidRequest "<why>".
ApiError InvalidRequest(const std::string& why);

void SendError(const ApiError& error, httplib::Response& response);
void SendJson(int status, const nlohmann::json& body,
              httplib::Response& response);
// What [C]'s ALB answers for a missing or wrong Bearer token (not JSON):
// charts/workspace/templates/unauthorized_ingress.yaml.
void SendNotAuthorized(httplib::Response& response);

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_API_ERRORS_H_
