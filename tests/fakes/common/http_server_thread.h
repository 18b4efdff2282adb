// An httplib server that serves on a thread of its own until it is
// destroyed: the listener of each fake (the Kubernetes API server, the
// Lepton workspace API and its deployment endpoints).
#ifndef TAO_TESTS_FAKES_COMMON_HTTP_SERVER_THREAD_H_
#define TAO_TESTS_FAKES_COMMON_HTTP_SERVER_THREAD_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace tao::fakes {

// Owned by the fake as a member, so that the port is known (port()) before
// the first request reaches the handler.
class HttpServerThread {
 public:
  using Handler =
      std::function<void(const httplib::Request&, httplib::Response&)>;

  HttpServerThread() = default;
  // Stop().
  ~HttpServerThread();

  HttpServerThread(const HttpServerThread&) = delete;
  HttpServerThread& operator=(const HttpServerThread&) = delete;

  // Sends every GET, POST, PUT, DELETE and PATCH request to `handler`,
  // binds `server` (set up by the caller: TLS, thread pool, limits) to
  // `host`:`port` (0: any free port) and serves on a thread of its own;
  // returns once the server runs. Called once. Errors: UNAVAILABLE "cannot
  // listen on HOST:PORT" when the address cannot be bound.
  absl::Status Start(std::unique_ptr<httplib::Server> server,
                     const std::string& host, int port, Handler handler);
  // Stops serving; waits for the thread and the requests in flight. Does
  // nothing when not serving.
  void Stop();

  // The bound port (the one chosen when 0 was asked for); 0 before Start.
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Starts `http` as a fake's API listener, the one its --listen flag
// names: `threads` request threads (a watch or a long poll holds one) and
// bodies up to 16 MiB. Errors: UNAVAILABLE "cannot listen on HOST:PORT;
// pick another --listen address or port 0".
absl::Status StartApiListener(HttpServerThread* http,
                              std::unique_ptr<httplib::Server> server,
                              const std::string& host, int port, int threads,
                              HttpServerThread::Handler handler);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_COMMON_HTTP_SERVER_THREAD_H_
