#include "platforms/kubernetes/auth_error.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "platforms/common/http/http_status.h"
#include "platforms/common/redactor.h"

namespace tao::platforms::kubernetes {
namespace {

constexpr size_t kMaxPlainBody = 200;

// Who was refused, as the user knows them.
std::string Identity(const KubeCredentials& c) {
  if (c.in_cluster) {
    std::string token =
        c.token ? absl::StrCat(" (", c.token->Description(), ")") : "";
    return absl::StrCat("the pod's service account", token,
                        " (in-cluster credentials)");
  }
  const std::string& file = c.user_file.empty() ? c.context_file : c.user_file;
  return absl::StrCat("user \"", c.user.empty() ? "(none)" : c.user,
                      "\" in context \"", c.context, "\" (kubeconfig ", file,
                      ")");
}

std::string Hint(const KubeCredentials& c, long http_status) {
  if (http_status == 401) {
    if (c.in_cluster) {
      return "check that the pod's service-account token is mounted and not "
             "expired";
    }
    return absl::StrCat("check that the token or client certificate of user \"",
                        c.user.empty() ? "(none)" : c.user,
                        "\" is still valid (kubectl --context ", c.context,
                        " auth whoami), or pick another context");
  }
  return absl::StrCat(
      "check the RBAC rules for this identity in namespace ", c.namespace_,
      " (kubectl", c.in_cluster ? "" : absl::StrCat(" --context ", c.context),
      " auth can-i --list -n ", c.namespace_, ")");
}

}  // namespace

std::string StatusMessageOf(long http_status, absl::string_view body) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object() && json.value("kind", "") == "Status") {
    auto message = json.find("message");
    if (message != json.end() && message->is_string() &&
        !message->get<std::string>().empty()) {
      return message->get<std::string>();
    }
    auto reason = json.find("reason");
    if (reason != json.end() && reason->is_string() &&
        !reason->get<std::string>().empty()) {
      return reason->get<std::string>();
    }
  }
  absl::string_view text = absl::StripAsciiWhitespace(body);
  text = text.substr(0, text.find('\n'));
  if (text.empty()) return absl::StrCat("HTTP ", http_status);
  if (text.size() > kMaxPlainBody) {
    return absl::StrCat(text.substr(0, kMaxPlainBody), "...");
  }
  return std::string(text);
}

bool IsAuthRejection(long http_status) {
  return http_status == 401 || http_status == 403;
}

absl::Status AuthErrorStatus(const KubeCredentials& credentials,
                             long http_status, absl::string_view body) {
  std::vector<std::string> secrets;
  if (credentials.token) {
    absl::StatusOr<std::string> token = credentials.token->Current();
    if (token.ok()) secrets.push_back(*token);
  }
  if (!credentials.tls.client_key_pem.empty()) {
    secrets.push_back(credentials.tls.client_key_pem);
  }
  const std::string message =
      Redactor(secrets).Redact(StatusMessageOf(http_status, body));
  if (!IsAuthRejection(http_status)) {
    return http::HttpStatusToStatus(
        http_status,
        absl::StrCat("the API server at ", credentials.server, ": ", message));
  }
  const char* verb = http_status == 401 ? "refused the credentials of"
                                        : "refused the request of";
  return http::HttpStatusToStatus(
      http_status, absl::StrCat("the API server at ", credentials.server, " ",
                                verb, " ", Identity(credentials), ": ", message,
                                "; ", Hint(credentials, http_status)));
}

}  // namespace tao::platforms::kubernetes
