#include "platforms/kubernetes/kube_api.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platforms/common/http/http_status.h"
#include "platforms/kubernetes/auth_error.h"

namespace tao::platforms::kubernetes {
namespace {

using json = nlohmann::json;

http::ConnectionOptions ConnectionFor(const KubeCredentials& credentials) {
  http::ConnectionOptions options;
  options.tls = credentials.tls;
  // kubectl honours HTTPS_PROXY/NO_PROXY for the API server too.
  options.use_environment_proxy = true;
  return options;
}

// 422's causes: "<field>: <message>" each (the real server also joins
// them into `message`, but clients build their line from the causes).
std::string Causes(const json& status) {
  std::vector<std::string> causes;
  if (status.is_object() && status.contains("details") &&
      status["details"].is_object() && status["details"].contains("causes") &&
      status["details"]["causes"].is_array()) {
    for (const json& cause : status["details"]["causes"]) {
      if (!cause.is_object()) continue;
      const std::string field = cause.value("field", "");
      const std::string message = cause.value("message", "");
      causes.push_back(field.empty() ? message
                                     : absl::StrCat(field, ": ", message));
    }
  }
  return absl::StrJoin(causes, "; ");
}

}  // namespace

absl::Status KubeErrorStatus(const KubeCredentials& credentials,
                             absl::string_view what, long http_status,
                             absl::string_view body) {
  if (IsAuthRejection(http_status)) {
    absl::Status refused = AuthErrorStatus(credentials, http_status, body);
    return absl::Status(refused.code(),
                        absl::StrCat(what, ": ", refused.message()));
  }
  const std::string message = StatusMessageOf(http_status, body);
  const std::string text =
      absl::StrCat(what, ": the API server at ", credentials.server,
                   " answered HTTP ", http_status, ": ", message);
  switch (http_status) {
    case 400:
      return absl::InvalidArgumentError(text);
    case 404:
      return absl::NotFoundError(text);
    case 409:
      return absl::AlreadyExistsError(text);
    case 422: {
      const std::string causes =
          Causes(json::parse(body, nullptr, /*allow_exceptions=*/false));
      return absl::InvalidArgumentError(
          causes.empty() || absl::StrContains(message, causes)
              ? text
              : absl::StrCat(text, " (", causes, ")"));
    }
    case 429:
      return absl::UnavailableError(
          absl::StrCat(text, "; the API server is throttling, retry later"));
    default:
      break;
  }
  if (http_status >= 500) return absl::UnavailableError(text);
  absl::Status mapped = http::HttpStatusToStatus(http_status, text);
  return mapped.ok() ? absl::InternalError(text) : mapped;
}

KubeApi::KubeApi(KubeCredentials credentials, absl::Duration timeout)
    : credentials_(std::move(credentials)),
      timeout_(timeout),
      http_(ConnectionFor(credentials_)) {}

absl::Status KubeApi::Authorize(http::HttpRequest& request) {
  request.url = absl::StrCat(credentials_.server, request.url);
  if (credentials_.token != nullptr) {
    absl::StatusOr<std::string> token = credentials_.token->Current();
    if (!token.ok()) return token.status();
    // Holds the token: requests are never logged.
    request.headers.push_back(absl::StrCat("Authorization: Bearer ", *token));
  }
  return absl::OkStatus();
}

absl::StatusOr<http::HttpExchange> KubeApi::Relay(http::HttpRequest request) {
  if (absl::Status s = Authorize(request); !s.ok()) return s;
  return http_.Exchange(request);
}

absl::StatusOr<http::HttpExchange> KubeApi::Send(http::HttpRequest request,
                                                 absl::string_view what) {
  request.timeout = timeout_;
  request.headers.push_back("Accept: application/json");
  if (absl::Status s = Authorize(request); !s.ok()) return s;
  absl::StatusOr<http::HttpExchange> answer =
      http_.Send(request, absl::StrCat("the Kubernetes API server at ",
                                       credentials_.server, " (", what, ")"));
  if (!answer.ok()) return answer.status();
  if (answer->status < 200 || answer->status > 299) {
    return KubeErrorStatus(credentials_, what, answer->status, answer->body);
  }
  return answer;
}

absl::StatusOr<json> KubeApi::Get(const std::string& path, const Query& query) {
  http::HttpRequest request;
  request.url = path;
  request.query = query;
  absl::StatusOr<http::HttpExchange> answer =
      Send(std::move(request), absl::StrCat("GET ", path));
  if (!answer.ok()) return answer.status();
  json body = json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return absl::InternalError(
        absl::StrCat("GET ", path, ": the API server at ", credentials_.server,
                     " answered with something that is not JSON"));
  }
  return body;
}

absl::StatusOr<json> KubeApi::Create(const std::string& collection,
                                     const json& object) {
  const std::string body = object.dump();  // may hold secrets: never logged
  http::HttpRequest request;
  request.method = "POST";
  request.url = collection;
  request.body = body;
  const std::string what = absl::StrCat(
      "create ", object.value("kind", "object"), " ",
      object.contains("metadata") ? object["metadata"].value("name", "") : "");
  absl::StatusOr<http::HttpExchange> answer = Send(std::move(request), what);
  if (!answer.ok()) return answer.status();
  return json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
}

absl::Status KubeApi::Delete(const std::string& path,
                             absl::string_view propagation_policy) {
  const std::string body =
      json{{"kind", "DeleteOptions"},
           {"apiVersion", "v1"},
           {"propagationPolicy", std::string(propagation_policy)}}
          .dump();
  http::HttpRequest request;
  request.method = "DELETE";
  request.url = path;
  request.body = body;
  return Send(std::move(request), absl::StrCat("DELETE ", path)).status();
}

absl::StatusOr<std::string> KubeApi::GetText(const std::string& path,
                                             const Query& query) {
  http::HttpRequest request;
  request.url = path;
  request.query = query;
  absl::StatusOr<http::HttpExchange> answer =
      Send(std::move(request), absl::StrCat("GET ", path));
  if (!answer.ok()) return answer.status();
  return std::move(answer->body);
}

}  // namespace tao::platforms::kubernetes
