#include "platforms/common/http/http_client.h"

#include <utility>

#include "platforms/common/http/curl_handle_pool.h"
#include "platforms/common/http/http_exchange.h"
#include "platforms/common/http/http_status.h"

namespace tao::platforms::http {

HttpClient::HttpClient(ConnectionOptions options)
    : options_(std::move(options)), pool_(std::make_unique<CurlHandlePool>()) {}

HttpClient::~HttpClient() = default;

HttpExchange HttpClient::Exchange(const HttpRequest& request) {
  CurlHandlePool::Lease lease = pool_->Acquire();
  HttpExchange result = PerformExchange(lease.get(), request, options_);
  requests_.fetch_add(1, std::memory_order_relaxed);
  new_connections_.fetch_add(result.new_connections, std::memory_order_relaxed);
  return result;
}

absl::StatusOr<HttpExchange> HttpClient::Send(const HttpRequest& request,
                                              absl::string_view peer) {
  HttpExchange result = Exchange(request);
  if (!result.answered()) return TransportStatus(result, peer, request.timeout);
  return result;
}

HttpClient::Stats HttpClient::stats() const {
  Stats stats;
  stats.requests = requests_.load(std::memory_order_relaxed);
  stats.new_connections = new_connections_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace tao::platforms::http
