// HTTP client for the inference container's contract (spec §7-9):
// readiness polling and chat completions, over the shared HTTP client
// (platforms/common/http) with connection reuse.
#ifndef TAO_SERVER_CORE_BACKEND_BACKEND_CLIENT_H_
#define TAO_SERVER_CORE_BACKEND_BACKEND_CLIENT_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/common/http/http_client.h"
#include "platforms/common/redactor.h"

namespace tao::backend {

// One readiness probe's verdict. Both body shapes of spec §7 are understood:
// {"error":{"type":T,"message":M}} and {"status":"not_ready","reason":R}.
struct Readiness {
  enum class Kind {
    kReady,         // HTTP 200
    kInitializing,  // server_initializing (HTTP server up, init running)
    kLoading,       // model_loading / model_not_ready / model_not_loaded
    kFailed,        // initialization_error, model_load_error,
                    // initialization_failed, model_load_failed: give up
    kUnreachable,   // connection refused, timeout, DNS: keep polling
  };
  Kind kind = Kind::kUnreachable;
  // The backend's type or reason ("model_loading"), or a curl cause.
  std::string type;
  std::string message;  // redacted
  int http_status = 0;
};

// A chat-completions answer with HTTP 200.
struct ChatReply {
  std::string body;  // raw JSON
};

class BackendClient {
 public:
  struct Options {
    absl::Duration connect_timeout = absl::Seconds(5);
    absl::Duration readiness_timeout = absl::Seconds(5);
    // Upper bound for one chat request when the caller has no deadline.
    absl::Duration request_timeout = absl::Seconds(300);
    platforms::Redactor redactor;
  };

  explicit BackendClient(Options options);

  // GET {host_url}/api/v1/health/readiness. Never fails: transport errors
  // are kUnreachable. `headers` ("Name: value" lines, Platform::
  // EndpointHeaders) go with the request; they may hold credentials and
  // never appear in an answer.
  Readiness CheckReadiness(const std::string& host_url,
                           const std::vector<std::string>& headers = {});

  // POST {host_url}/v1/chat/completions with `json_body` and `headers` (as
  // for CheckReadiness). Sent once; never retried here. `cancelled` is polled
  // while waiting; when it returns true the transfer is aborted with CANCELLED.
  // Errors (ErrorDetails attached with backend_error_type and
  // backend_http_status where the backend answered; reasons are ErrorReason
  // values without their ERROR_REASON_ prefix):
  //   202 -> UNAVAILABLE (reason NOT_READY; the request was not accepted)
  //   503 initialization_error/model_load_error -> FAILED_PRECONDITION
  //       (reason MODEL_LOAD_FAILED)
  //   503 model_not_ready (or other) -> UNAVAILABLE (reason NOT_READY)
  //   400 -> INVALID_ARGUMENT (reason BACKEND_ERROR)
  //   500 / other -> INTERNAL (reason BACKEND_ERROR)
  //   could not connect -> UNAVAILABLE (request never sent:
  //       platforms::http::RequestNotSent is true); no details
  //   sent, then connection lost -> UNAVAILABLE saying the request may
  //       have been processed (RequestNotSent is false; libcurl's silent
  //       re-send on a fresh connection is refused); no details
  //   deadline -> DEADLINE_EXCEEDED; cancelled -> CANCELLED
  //   host_url not http(s) -> FAILED_PRECONDITION
  // Messages keep the backend's error type and (redacted) message.
  // The request body is sent in place and the reply body moved out: neither
  // is copied, as media can make them hundreds of MiB.
  absl::StatusOr<ChatReply> PostChatCompletion(
      const std::string& host_url, const std::string& json_body,
      absl::Time deadline, const std::function<bool()>& cancelled,
      const std::vector<std::string>& headers = {});

  // Counters since construction (exchanges, connections opened), for tests
  // and diagnostics.
  using Stats = platforms::http::HttpClient::Stats;
  Stats stats() const { return http_.stats(); }

 private:
  const Options options_;
  platforms::http::HttpClient http_;
};

}  // namespace tao::backend

#endif  // TAO_SERVER_CORE_BACKEND_BACKEND_CLIENT_H_
