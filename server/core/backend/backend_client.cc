#include "server/core/backend/backend_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "platforms/common/http/http_client.h"
#include "platforms/common/http/http_status.h"
#include "server/core/backend/backend_answers.h"

namespace tao::backend {
namespace {

constexpr char kReadinessPath[] = "/api/v1/health/readiness";
constexpr char kChatPath[] = "/v1/chat/completions";
constexpr size_t kMaxReadinessBodyBytes = 64 * 1024;

std::string JoinUrl(const std::string& host_url, const char* path) {
  absl::string_view base = host_url;
  while (absl::ConsumeSuffix(&base, "/")) {
  }
  return absl::StrCat(base, path);
}

platforms::http::ConnectionOptions Connection(
    const BackendClient::Options& options) {
  platforms::http::ConnectionOptions connection;
  connection.connect_timeout = options.connect_timeout;
  return connection;
}

}  // namespace

BackendClient::BackendClient(Options options)
    : options_(std::move(options)), http_(Connection(options_)) {}

Readiness BackendClient::CheckReadiness(
    const std::string& host_url, const std::vector<std::string>& headers) {
  platforms::http::HttpRequest request;
  request.url = JoinUrl(host_url, kReadinessPath);
  request.headers = {"Accept: application/json"};
  request.headers.insert(request.headers.end(), headers.begin(), headers.end());
  request.timeout = options_.readiness_timeout;
  request.max_body_bytes = kMaxReadinessBodyBytes;
  platforms::http::HttpExchange result = http_.Exchange(request);
  const platforms::Redactor& redactor = options_.redactor;
  if (!result.answered()) {
    Readiness readiness;
    readiness.kind = Readiness::Kind::kUnreachable;
    readiness.type =
        std::string(platforms::http::TransportErrorName(result.error));
    readiness.message = CleanMessage(result.cause, redactor);
    return readiness;
  }
  return ReadinessFromAnswer(result.status, result.body, redactor);
}

absl::StatusOr<ChatReply> BackendClient::PostChatCompletion(
    const std::string& host_url, const std::string& json_body,
    absl::Time deadline, const std::function<bool()>& cancelled,
    const std::vector<std::string>& headers) {
  const std::string url = JoinUrl(host_url, kChatPath);
  const absl::Time now = absl::Now();
  const absl::Time end = std::min(deadline, now + options_.request_timeout);
  if (end <= now) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the deadline passed before the request to the backend at ",
        options_.redactor.Redact(url), " was sent"));
  }
  if (cancelled && cancelled()) {
    return absl::CancelledError("the request was cancelled before it was sent");
  }

  platforms::http::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {"Accept: application/json"};
  request.headers.insert(request.headers.end(), headers.begin(), headers.end());
  request.body = json_body;
  request.timeout = end - now;
  request.cancelled = cancelled;
  platforms::http::HttpExchange result = http_.Exchange(request);
  if (!result.answered()) {
    const platforms::Redactor& redactor = options_.redactor;
    result.cause = CleanMessage(result.cause, redactor);
    return platforms::http::TransportStatus(
        result, absl::StrCat("the backend at ", redactor.Redact(url)),
        request.timeout);
  }
  if (result.status != 200) {
    return ChatErrorFromAnswer(result.status, result.body, options_.redactor);
  }
  ChatReply reply;
  reply.body = std::move(result.body);
  return reply;
}

}  // namespace tao::backend
