// One HTTP exchange on a pooled libcurl handle, reporting what happened in
// enough detail to tell "never sent" from "sent, then lost".
#ifndef TAO_SERVER_CORE_BACKEND_CURL_TRANSFER_H_
#define TAO_SERVER_CORE_BACKEND_CURL_TRANSFER_H_

#include <curl/curl.h>

#include <cstddef>
#include <functional>
#include <string>

#include "absl/time/time.h"

namespace tao::backend {

struct TransferRequest {
  std::string url;
  // POST this body (read in place, never copied); nullptr sends a GET.
  const std::string* post_body = nullptr;
  absl::Duration timeout;          // whole exchange
  absl::Duration connect_timeout;  // connection set-up only
  // Polled while waiting; true aborts the transfer. May be null.
  const std::function<bool()>* cancelled = nullptr;
  // Bytes of the answer kept; the rest is read and dropped (readiness
  // answers are small, chat answers may be hundreds of MiB).
  size_t max_body_bytes = static_cast<size_t>(-1);
};

struct TransferResult {
  CURLcode code = CURLE_OK;
  std::string error;  // curl's own description when code != CURLE_OK
  long http_status = 0;
  std::string body;
  // A connection was open and the request was about to be written.
  bool request_started = false;
  bool cancelled = false;
  long new_connections = 0;
};

// Runs the exchange on `handle` (fresh from CurlHandlePool::Acquire). A
// request body that was partly sent is never re-sent: if libcurl wants to
// retry it on a new connection, the transfer fails with
// CURLE_SEND_FAIL_REWIND instead.
TransferResult PerformTransfer(CURL* handle, const TransferRequest& request);

}  // namespace tao::backend

#endif  // TAO_SERVER_CORE_BACKEND_CURL_TRANSFER_H_
