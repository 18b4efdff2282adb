#include "platforms/local_docker/docker_api.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace tao::platforms::local_docker {
namespace {

constexpr char kPreferredApiVersion[] = "1.41";

bool IsSuccess(long status) { return status >= 200 && status < 300; }

bool ParseVersion(absl::string_view text, int& major, int& minor) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits('.', 1));
  return absl::SimpleAtoi(parts.first, &major) &&
         absl::SimpleAtoi(parts.second, &minor);
}

http::ConnectionOptions Connection(const DockerEndpoint& endpoint) {
  http::ConnectionOptions connection;
  connection.unix_socket = endpoint.unix_socket;
  return connection;
}

}  // namespace

DockerApi::DockerApi(DockerEndpoint endpoint)
    : endpoint_(std::move(endpoint)), http_(Connection(endpoint_)) {}

absl::StatusOr<DockerResponse> DockerApi::Call(const DockerRequest& request) {
  absl::StatusOr<std::string> version = ApiVersion();
  if (!version.ok()) return version.status();
  return Perform(request, absl::StrCat("/v", *version), nullptr);
}

absl::StatusOr<DockerResponse> DockerApi::Stream(
    const DockerRequest& request,
    const std::function<void(absl::string_view line)>& on_line) {
  absl::StatusOr<std::string> version = ApiVersion();
  if (!version.ok()) return version.status();
  return Perform(request, absl::StrCat("/v", *version), &on_line);
}

absl::StatusOr<std::string> DockerApi::ApiVersion() {
  {
    absl::MutexLock lock(&mu_);
    if (api_version_.has_value()) return *api_version_;
  }
  DockerRequest request;
  request.path = "/version";
  request.timeout = absl::Seconds(15);
  absl::StatusOr<DockerResponse> response = Perform(request, "", nullptr);
  if (!response.ok()) return response.status();
  if (!IsSuccess(response->status)) {
    return absl::UnavailableError(absl::StrCat(
        "the Docker engine at ", endpoint_.description,
        " did not answer GET /version: ", ErrorMessage(*response)));
  }
  nlohmann::json version = nlohmann::json::parse(response->body, nullptr,
                                                 /*allow_exceptions=*/false);
  std::string min_version = "", max_version = "";
  if (version.is_object()) {
    min_version = version.value("MinAPIVersion", "");
    max_version = version.value("ApiVersion", "");
  }
  std::string chosen = ChooseApiVersion(min_version, max_version);
  absl::MutexLock lock(&mu_);
  api_version_ = chosen;
  return chosen;
}

absl::StatusOr<DockerResponse> DockerApi::Perform(
    const DockerRequest& request, const std::string& version_prefix,
    const std::function<void(absl::string_view line)>* on_line) {
  http::HttpRequest http_request;
  http_request.method = request.method;
  http_request.url =
      absl::StrCat(endpoint_.base_url, version_prefix, request.path);
  http_request.query = request.query;
  http_request.headers = request.headers;
  http_request.body = request.body;
  http_request.timeout = request.timeout;
  http_request.cancelled = request.cancelled;
  if (on_line != nullptr) http_request.on_line = *on_line;
  absl::StatusOr<http::HttpExchange> answer = http_.Send(
      http_request, absl::StrCat("the Docker engine at ", endpoint_.description,
                                 " (", request.method, " ", request.path, ")"));
  if (!answer.ok()) {
    if (!absl::IsUnavailable(answer.status())) return answer.status();
    return absl::UnavailableError(absl::StrCat(
        answer.status().message(),
        ": is dockerd running and may this user open its socket? Start a "
        "private engine with scripts/docker-up and export the DOCKER_HOST it "
        "prints, or set DOCKER_HOST"));
  }
  DockerResponse response;
  response.status = answer->status;
  response.content_type = std::move(answer->content_type);
  response.body = std::move(answer->body);
  return response;
}

std::string EscapePath(absl::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : name) {
    if (absl::ascii_isalnum(ch) || ch == '-' || ch == '.' || ch == '_' ||
        ch == '~' || ch == '/' || ch == ':' || ch == '@') {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 0xF]);
    }
  }
  return out;
}

std::string ErrorMessage(const DockerResponse& response) {
  nlohmann::json body =
      nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.contains("message") &&
      body["message"].is_string()) {
    return body["message"].get<std::string>();
  }
  std::string text(absl::StripAsciiWhitespace(response.body));
  if (!text.empty()) return text;
  return absl::StrCat("HTTP ", response.status);
}

std::string ChooseApiVersion(absl::string_view min_version,
                             absl::string_view max_version) {
  int pref_major = 0, pref_minor = 0;
  ParseVersion(kPreferredApiVersion, pref_major, pref_minor);
  const auto before = [](int a_major, int a_minor, int b_major, int b_minor) {
    return a_major < b_major || (a_major == b_major && a_minor < b_minor);
  };
  int major = 0, minor = 0;
  if (ParseVersion(min_version, major, minor) &&
      before(pref_major, pref_minor, major, minor)) {
    return std::string(min_version);
  }
  if (ParseVersion(max_version, major, minor) &&
      before(major, minor, pref_major, pref_minor)) {
    return std::string(max_version);
  }
  return kPreferredApiVersion;
}

}  // namespace tao::platforms::local_docker
