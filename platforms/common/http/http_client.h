// The one HTTP client of the project (libcurl): the server core's backend
// calls, the Docker Engine API and the REST drivers all use it.
//
// Each client keeps a pool of libcurl handles whose connections live in one
// shared cache, so keep-alive connections are reused across calls and
// threads. A request body is never sent twice (see TransportError).
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_PLATFORMS_COMMON_HTTP_HTTP_CLIENT_H_
#define TAO_PLATFORMS_COMMON_HTTP_HTTP_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platforms/common/http/http_types.h"

namespace tao::platforms::http {

class CurlHandlePool;

class HttpClient {
 public:
  explicit HttpClient(ConnectionOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One exchange. Never fails: transport problems are in the result, with
  // the detail callers need to decide whether a retry is safe.
  HttpExchange Exchange(const HttpRequest& request);

  // The usual call: the HTTP answer, whatever its status, or the transport
  // failure as TransportStatus(exchange, peer, request.timeout). `peer`
  // names the other side in messages ("the Docker engine at ...").
  absl::StatusOr<HttpExchange> Send(const HttpRequest& request,
                                    absl::string_view peer);

  const ConnectionOptions& options() const { return options_; }

  // Counters since construction, for tests and diagnostics.
  struct Stats {
    int64_t requests = 0;         // exchanges attempted
    int64_t new_connections = 0;  // TCP connections opened (not reused)
  };
  Stats stats() const;

 private:
  const ConnectionOptions options_;
  std::unique_ptr<CurlHandlePool> pool_;
  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> new_connections_{0};
};

}  // namespace tao::platforms::http

#endif  // TAO_PLATFORMS_COMMON_HTTP_HTTP_CLIENT_H_
