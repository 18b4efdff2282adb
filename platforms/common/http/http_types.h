// The request, answer and connection settings of the shared HTTP client
// (http_client.h). Plain structs: no libcurl in this header.
#ifndef TAO_PLATFORMS_COMMON_HTTP_HTTP_TYPES_H_
#define TAO_PLATFORMS_COMMON_HTTP_HTTP_TYPES_H_

#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tao::platforms::http {

// How the server is verified and, for mutual TLS, who we are. PEM text
// and file paths are alternatives (kubeconfig has both forms). Values may
// be credentials: never logged.
struct TlsOptions {
  std::string ca_file;  // CA bundle; empty (and no ca_pem): the system's
  std::string ca_pem;
  std::string client_cert_file;
  std::string client_cert_pem;
  std::string client_key_file;
  std::string client_key_pem;
  // kubeconfig's insecure-skip-tls-verify: no peer or host name check.
  bool insecure_skip_verify = false;
};

// Settings shared by every request of one client.
struct ConnectionOptions {
  // Connect to this unix socket whatever the URL's host (Docker Engine).
  std::string unix_socket;
  TlsOptions tls;
  absl::Duration connect_timeout = absl::Seconds(10);
  // Idle kept-alive connections older than this are not reused: servers
  // close idle connections after a few seconds (cpp-httplib: 5 s), and
  // reusing one just as it closes would leave a sent request in doubt.
  absl::Duration max_connection_age = absl::Seconds(4);
  // Honour http_proxy/https_proxy/no_proxy from the environment. Off for
  // local peers (a Docker socket, tunnels), where a proxy is always wrong.
  bool use_environment_proxy = false;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // scheme://host[:port]/path; never holds credentials
  // Query parameters, URL-escaped and appended by the client.
  std::vector<std::pair<std::string, std::string>> query;
  // "Name: value". May hold credentials: never logged.
  std::vector<std::string> headers;
  // Sent in place, never copied (chat bodies carry media of hundreds of
  // MiB); must stay valid during the call. POST, PUT and PATCH send it
  // even when empty.
  absl::string_view body;
  // Content-Type of a non-empty body.
  std::string content_type = "application/json";
  absl::Duration timeout = absl::Seconds(60);  // the whole exchange
  // Polled while waiting; returning true aborts the exchange.
  std::function<bool()> cancelled;
  // Bytes of the answer kept; the rest is read and dropped.
  size_t max_body_bytes = std::numeric_limits<size_t>::max();
  // When set, a 2xx answer is handed over line by line as it arrives
  // (pull progress, followed logs) instead of being collected; other
  // answers are collected as usual.
  std::function<void(absl::string_view line)> on_line;
};

// Why an exchange got no HTTP answer.
enum class TransportError {
  kNone,
  // No connection: refused, unresolvable, or connecting took too long.
  // The request was certainly not sent.
  kCouldNotConnect,
  kTimedOut,  // the request's timeout passed
  kCancelled,
  kBadUrl,  // not a usable http(s) URL
  // libcurl wanted to send a partly sent body again on a new connection
  // (a kept-alive one closed without an answer); refused, since that
  // could run the request twice.
  kResendRefused,
  kOther,  // sent, then the connection failed
};

// What happened, in enough detail to tell "never sent" from "sent, then
// lost".
struct HttpExchange {
  TransportError error = TransportError::kNone;
  std::string cause;  // libcurl's words when error != kNone
  long status = 0;    // HTTP status when error == kNone
  std::string body;   // collected answer (see HttpRequest::on_line)
  std::string content_type;
  // A connection was open and the request was about to be written.
  bool request_started = false;
  long new_connections = 0;  // connections opened (not reused)

  bool answered() const { return error == TransportError::kNone; }
  bool success() const { return answered() && status >= 200 && status < 300; }
};

}  // namespace tao::platforms::http

#endif  // TAO_PLATFORMS_COMMON_HTTP_HTTP_TYPES_H_
