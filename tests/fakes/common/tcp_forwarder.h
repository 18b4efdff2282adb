// A TCP listener that forwards each connection to a backend chosen when the
// connection arrives: what a cloud load balancer or kube-proxy's node port
// does for a fake cluster whose pods are real containers. A connection with
// no backend to go to is closed at once (a client sees a reset or EOF, as
// with a Service that has no ready endpoints).
#ifndef TAO_TESTS_FAKES_COMMON_TCP_FORWARDER_H_
#define TAO_TESTS_FAKES_COMMON_TCP_FORWARDER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace tao::fakes {

struct TcpBackend {
  std::string host;  // an IPv4 address
  int port = 0;
};

class TcpForwarder {
 public:
  // nullopt: no backend now; the connection is closed.
  using Resolver = std::function<std::optional<TcpBackend>()>;

  // Listens on `address`:`port` (port 0: any free one). Errors:
  // UNAVAILABLE naming the address when it cannot listen there.
  static absl::StatusOr<std::unique_ptr<TcpForwarder>> Listen(
      const std::string& address, int port, Resolver resolver);
  // Stops listening and closes every forwarded connection.
  ~TcpForwarder();

  int port() const { return port_; }

 private:
  TcpForwarder(int listen_fd, int port, int wake_fd, Resolver resolver);
  void AcceptLoop();
  void Forward(int client_fd);

  const int listen_fd_;
  const int port_;
  const int wake_read_fd_;
  int wake_write_fd_ = -1;
  const Resolver resolver_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<int> open_fds_ ABSL_GUARDED_BY(mu_);
  // Connection threads are detached; the destructor waits for this to be 0.
  int active_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread acceptor_;
};

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_COMMON_TCP_FORWARDER_H_
