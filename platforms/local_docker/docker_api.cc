#include "platforms/local_docker/docker_api.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace tao::platforms::local_docker {
namespace {

constexpr char kPreferredApiVersion[] = "1.41";

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What the write callback needs while a body arrives.
struct Sink {
  CURL* curl = nullptr;
  const std::function<void(absl::string_view)>* on_line = nullptr;
  std::string body;     // whole body (Call) or error body (Stream)
  std::string pending;  // Stream: the unfinished last line
};

bool IsSuccess(long status) { return status >= 200 && status < 300; }

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  Sink* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  long status = 0;
  curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
  if (sink->on_line == nullptr || !IsSuccess(status)) {
    sink->body.append(data, n);
    return n;
  }
  sink->pending.append(data, n);
  size_t start = 0;
  for (size_t newline = sink->pending.find('\n', start);
       newline != std::string::npos;
       newline = sink->pending.find('\n', start)) {
    absl::string_view line(sink->pending.data() + start, newline - start);
    if (!absl::StripAsciiWhitespace(line).empty()) (*sink->on_line)(line);
    start = newline + 1;
  }
  sink->pending.erase(0, start);
  return n;
}

std::string Escape(CURL* curl, const std::string& text) {
  char* escaped =
      curl_easy_escape(curl, text.data(), static_cast<int>(text.size()));
  std::string result = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return result;
}

bool ParseVersion(absl::string_view text, int& major, int& minor) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits('.', 1));
  return absl::SimpleAtoi(parts.first, &major) &&
         absl::SimpleAtoi(parts.second, &minor);
}

}  // namespace

DockerApi::DockerApi(DockerEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  InitCurlOnce();
}

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
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return absl::InternalError("curl_easy_init failed");
  CURL* c = curl.get();

  std::string url =
      absl::StrCat(endpoint_.base_url, version_prefix, request.path);
  for (size_t i = 0; i < request.query.size(); ++i) {
    absl::StrAppend(&url, i == 0 ? "?" : "&", request.query[i].first, "=",
                    Escape(c, request.query[i].second));
  }
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  if (!endpoint_.unix_socket.empty()) {
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH,
                     endpoint_.unix_socket.c_str());
  }
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // never through an HTTP proxy
  const long timeout_ms =
      std::max<long>(1, absl::ToInt64Milliseconds(request.timeout));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&headers](const std::string& header) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  };
  add_header("Expect:");
  for (const std::string& header : request.headers) add_header(header);
  if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(request.body.size()));
    if (!request.body.empty()) add_header("Content-Type: application/json");
  } else if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  Sink sink;
  sink.curl = c;
  sink.on_line = on_line;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);

  const CURLcode code = curl_easy_perform(c);
  const std::string what = absl::StrCat(request.method, " ", request.path);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the Docker engine at ", endpoint_.description, " did not finish ",
        what, " within ", absl::FormatDuration(request.timeout)));
  }
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat(
        "cannot reach the Docker engine at ", endpoint_.description, " (",
        curl_easy_strerror(code),
        "): is dockerd running and may this user open its socket? Start a "
        "private engine with scripts/docker-up and export the DOCKER_HOST it "
        "prints, or set DOCKER_HOST"));
  }
  DockerResponse response;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  char* content_type = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) response.content_type = content_type;
  if (on_line != nullptr && IsSuccess(response.status) &&
      !absl::StripAsciiWhitespace(sink.pending).empty()) {
    (*on_line)(sink.pending);
  }
  response.body = std::move(sink.body);
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
