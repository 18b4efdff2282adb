#include "platforms/lepton/lepton_api.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platforms/common/http/http_status.h"
#include "platforms/common/redactor.h"
#include "platforms/lepton/json_fields.h"

namespace tao::platforms::lepton {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxMessage = 200;

http::ConnectionOptions Connection() {
  http::ConnectionOptions options;
  // The SDK (python requests) honours HTTPS_PROXY/NO_PROXY too.
  options.use_environment_proxy = true;
  return options;
}

// "the Lepton workspace <id> at <url>", the peer of every message.
std::string Peer(const LeptonSettings& settings) {
  return absl::StrCat("the Lepton workspace ", settings.workspace_id, " at ",
                      settings.workspace_url);
}

// `object[key]`, or null when `object` is no object or lacks it.
}  // namespace

std::string LeptonMessageOf(long http_status, absl::string_view body) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("message") &&
      parsed["message"].is_string() &&
      !parsed["message"].get<std::string>().empty()) {
    return parsed["message"].get<std::string>();
  }
  absl::string_view text = absl::StripAsciiWhitespace(body);
  text = text.substr(0, text.find('\n'));
  if (text.size() > kMaxMessage) text = text.substr(0, kMaxMessage);
  if (text.empty()) return absl::StrCat("HTTP ", http_status);
  return std::string(text);
}

absl::Status LeptonErrorStatus(const LeptonSettings& settings,
                               absl::string_view what, long http_status,
                               absl::string_view body) {
  // Lepton should never echo the token, but its words leave the server.
  const std::string message =
      Redactor({settings.token}).Redact(LeptonMessageOf(http_status, body));
  const std::string answered =
      absl::StrCat(what, ": ", Peer(settings), " answered HTTP ", http_status);
  switch (http_status) {
    case 401:
      // [C] api-server answers writes to a paused workspace with a JSON 401
      // (lepton-api.md §2); the ALB's bad-token 401 is text/plain.
      if (absl::StrContains(message, "paused or terminated")) {
        return absl::FailedPreconditionError(
            absl::StrCat(answered, ": ", message,
                         "; resume the workspace in the Lepton console"));
      }
      return absl::UnauthenticatedError(absl::StrCat(
          answered, " (", message, "): the workspace token from ",
          settings.token_variable,
          " is wrong or expired; make a new one in the workspace's settings "
          "and set ",
          settings.token_variable));
    case 403:
      return absl::PermissionDeniedError(
          absl::StrCat(answered, ": ", message,
                       "; the workspace token's user may not do this"));
    case 400:
      return absl::InvalidArgumentError(absl::StrCat(answered, ": ", message));
    case 404:
      return absl::NotFoundError(absl::StrCat(answered, ": ", message));
    case 409:
      return absl::AlreadyExistsError(absl::StrCat(answered, ": ", message));
    case 429:
      return absl::UnavailableError(absl::StrCat(
          answered, ": ", message, "; Lepton is throttling, retry later"));
    default:
      break;
  }
  const std::string text = absl::StrCat(answered, ": ", message);
  if (http_status >= 500) return absl::UnavailableError(text);
  absl::Status mapped = http::HttpStatusToStatus(http_status, text);
  return mapped.ok() ? absl::InternalError(text) : mapped;
}

LeptonApi::LeptonApi(LeptonSettings settings, absl::Duration timeout)
    : settings_(std::move(settings)), timeout_(timeout), http_(Connection()) {}

absl::StatusOr<http::HttpExchange> LeptonApi::Send(http::HttpRequest request,
                                                   absl::string_view what) {
  request.url = absl::StrCat(settings_.workspace_url, request.url);
  request.timeout = timeout_;
  request.headers.push_back("Accept: application/json");
  // Holds the token: requests are never logged.
  request.headers.push_back(
      absl::StrCat("Authorization: Bearer ", settings_.token));
  if (!settings_.origin_url.empty()) {
    request.headers.push_back(absl::StrCat("origin: ", settings_.origin_url));
  }
  absl::StatusOr<http::HttpExchange> answer =
      http_.Send(request, absl::StrCat(Peer(settings_), " (", what, ")"));
  if (!answer.ok()) return answer.status();
  if (!answer->success()) {
    return LeptonErrorStatus(settings_, what, answer->status, answer->body);
  }
  return answer;
}

absl::StatusOr<json> LeptonApi::ParseJson(const std::string& body,
                                          absl::string_view what) const {
  if (absl::StripAsciiWhitespace(body).empty()) return json();
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return absl::InternalError(
        absl::StrCat(what, ": ", Peer(settings_),
                     " answered with something that is not JSON"));
  }
  return parsed;
}

absl::StatusOr<json> LeptonApi::Get(const std::string& path,
                                    const Query& query) {
  http::HttpRequest request;
  request.url = path;
  request.query = query;
  const std::string what = absl::StrCat("GET ", path);
  absl::StatusOr<http::HttpExchange> answer = Send(std::move(request), what);
  if (!answer.ok()) return answer.status();
  return ParseJson(answer->body, what);
}

absl::StatusOr<json> LeptonApi::Post(const std::string& path,
                                     const json& body) {
  const std::string text = body.dump();  // may hold secrets: never logged
  http::HttpRequest request;
  request.method = "POST";
  request.url = path;
  request.body = text;
  const std::string what = absl::StrCat("POST ", path);
  absl::StatusOr<http::HttpExchange> answer = Send(std::move(request), what);
  if (!answer.ok()) return answer.status();
  return ParseJson(answer->body, what);
}

absl::Status LeptonApi::Delete(const std::string& path) {
  http::HttpRequest request;
  request.method = "DELETE";
  request.url = path;
  return Send(std::move(request), absl::StrCat("DELETE ", path)).status();
}

absl::StatusOr<json> LeptonApi::Preflight() {
  absl::StatusOr<json> info = Get("/workspace");
  if (!info.ok()) return info.status();
  if (!info->is_object()) {
    return absl::InternalError(absl::StrCat(
        "GET /workspace: ", Peer(settings_),
        " answered with something that is not a WorkspaceInfo object"));
  }
  const json& new_api =
      Member(Member(*info, "features"), "enable_new_deployment_api");
  if (new_api.is_boolean() && new_api.get<bool>()) {
    return absl::FailedPreconditionError(absl::StrCat(
        Peer(settings_),
        " has features.enable_new_deployment_api set: it serves deployments "
        "through the newer /endpoints API, which this driver does not "
        "support (it creates /deployments, which such a workspace refuses)"));
  }
  const std::string state = StringAt(*info, "workspace_state");
  if (state == "paused" || state == "all-pods-terminated" ||
      state == "terminated") {
    return absl::FailedPreconditionError(absl::StrCat(
        Peer(settings_), " is ", state,
        " (workspace_state); resume it in the Lepton console first"));
  }
  return info;
}

}  // namespace tao::platforms::lepton
