#include "tests/fakes/lepton/api_errors.h"

#include "absl/strings/str_cat.h"
#include "httplib.h"

namespace tao::fakes::lepton {

ApiError NotFound(const std::string& kind, const std::string& name) {
  return {404, "ResourceNotFound", absl::StrCat(kind, " ", name, " not found")};
}

ApiError InvalidSpec(const std::string& why) {
  return {400, "ValidationError",
          absl::StrCat("invalid deployment spec: ", why)};
}

ApiError InvalidRequest(const std::string& why) {
  return {400, "InvalidRequest", why};
}

void SendError(const ApiError& error, httplib::Response& response) {
  SendJson(error.status, {{"code", error.code}, {"message", error.message}},
           response);
}

void SendJson(int status, const nlohmann::json& body,
              httplib::Response& response) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

void SendNotAuthorized(httplib::Response& response) {
  response.status = 401;
  response.set_content("Not Authorized", "text/plain");
}

}  // namespace tao::fakes::lepton
