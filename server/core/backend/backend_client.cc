#include "server/core/backend/backend_client.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/core/backend/backend_answers.h"
#include "server/core/backend/curl_handle_pool.h"
#include "server/core/backend/curl_transfer.h"

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

bool NeverConnected(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
         code == CURLE_COULDNT_RESOLVE_PROXY;
}

// Turns a failed exchange (no HTTP answer) into a status. The wording of
// the "could not connect" case is relied upon by callers that retry only
// requests that certainly never reached the backend.
absl::Status TransportError(const TransferResult& result,
                            const std::string& url, absl::Time end,
                            const core::Redactor& redactor) {
  // libcurl wanted to send the body again on a new connection after a
  // kept-alive one closed without an answer; PerformTransfer refused.
  const std::string cause =
      result.code == CURLE_SEND_FAIL_REWIND
          ? "a kept-alive connection closed without an answer"
          : CleanMessage(result.error, redactor);
  const std::string where = redactor.Redact(url);
  if (result.cancelled || result.code == CURLE_ABORTED_BY_CALLBACK) {
    return absl::CancelledError(absl::StrCat(
        "the request to the backend at ", where, " was cancelled",
        result.request_started ? "; the backend may still process it" : ""));
  }
  if (result.code == CURLE_URL_MALFORMAT ||
      result.code == CURLE_UNSUPPORTED_PROTOCOL) {
    return absl::FailedPreconditionError(
        absl::StrCat("the service's host_url ", where,
                     " is not a usable http(s) URL: ", cause));
  }
  const bool timed_out = result.code == CURLE_OPERATION_TIMEDOUT;
  if (timed_out && (result.request_started || absl::Now() >= end)) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the backend at ", where, " did not answer before the deadline (",
        cause, ")",
        result.request_started ? "; the backend may still process the request"
                               : ""));
  }
  if (NeverConnected(result.code) || !result.request_started) {
    return absl::UnavailableError(
        absl::StrCat("could not connect to the backend at ", where, ": ", cause,
                     " (the request was not sent)"));
  }
  return absl::UnavailableError(absl::StrCat(
      "the connection to the backend at ", where,
      " was lost after the request was sent (", cause,
      "); the request may have been processed, so it was not sent again"));
}

}  // namespace

struct BackendClient::Impl {
  explicit Impl(Options o) : options(std::move(o)) {}

  TransferResult Perform(const TransferRequest& request) {
    CurlHandlePool::Lease lease = pool.Acquire();
    TransferResult result = PerformTransfer(lease.get(), request);
    requests.fetch_add(1, std::memory_order_relaxed);
    new_connections.fetch_add(result.new_connections,
                              std::memory_order_relaxed);
    return result;
  }

  const Options options;
  CurlHandlePool pool;
  std::atomic<int64_t> requests{0};
  std::atomic<int64_t> new_connections{0};
};

BackendClient::BackendClient(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

BackendClient::~BackendClient() = default;

Readiness BackendClient::CheckReadiness(const std::string& host_url) {
  TransferRequest request;
  request.url = JoinUrl(host_url, kReadinessPath);
  request.timeout = impl_->options.readiness_timeout;
  request.connect_timeout = impl_->options.connect_timeout;
  request.max_body_bytes = kMaxReadinessBodyBytes;
  TransferResult result = impl_->Perform(request);
  const core::Redactor& redactor = impl_->options.redactor;
  if (result.code != CURLE_OK) {
    Readiness readiness;
    readiness.kind = Readiness::Kind::kUnreachable;
    readiness.type = curl_easy_strerror(result.code);
    readiness.message = CleanMessage(result.error, redactor);
    return readiness;
  }
  return ReadinessFromAnswer(result.http_status, result.body, redactor);
}

absl::StatusOr<ChatReply> BackendClient::PostChatCompletion(
    const std::string& host_url, const std::string& json_body,
    absl::Time deadline, const std::function<bool()>& cancelled) {
  const std::string url = JoinUrl(host_url, kChatPath);
  const absl::Time now = absl::Now();
  const absl::Time end =
      std::min(deadline, now + impl_->options.request_timeout);
  if (end <= now) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the deadline passed before the request to the backend at ",
        impl_->options.redactor.Redact(url), " was sent"));
  }
  if (cancelled && cancelled()) {
    return absl::CancelledError("the request was cancelled before it was sent");
  }

  TransferRequest request;
  request.url = url;
  request.post_body = &json_body;
  request.timeout = end - now;
  request.connect_timeout = impl_->options.connect_timeout;
  request.cancelled = &cancelled;
  TransferResult result = impl_->Perform(request);
  if (result.code != CURLE_OK) {
    return TransportError(result, url, end, impl_->options.redactor);
  }
  if (result.http_status != 200) {
    return ChatErrorFromAnswer(result.http_status, result.body,
                               impl_->options.redactor);
  }
  ChatReply reply;
  reply.body = std::move(result.body);
  return reply;
}

BackendClient::Stats BackendClient::stats() const {
  Stats stats;
  stats.requests = impl_->requests.load(std::memory_order_relaxed);
  stats.new_connections =
      impl_->new_connections.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace tao::backend
