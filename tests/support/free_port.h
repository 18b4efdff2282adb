// Loopback TCP sockets for tests: a port nothing listens on, a port held
// so that connections to it are refused, or one that accepts connections
// and never says a word.
#ifndef TAO_TESTS_SUPPORT_FREE_PORT_H_
#define TAO_TESTS_SUPPORT_FREE_PORT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tao::tests {

// A socket bound to a port the kernel picks on 127.0.0.1, held until
// destroyed. Not listening: connecting is refused (and nobody else can take
// the port meanwhile). Listening: the kernel completes connections and
// nothing ever answers (a host that hangs).
class LoopbackSocket {
 public:
  explicit LoopbackSocket(bool listening = false) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
        (!listening || listen(fd_, 128) == 0) &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~LoopbackSocket() {
    if (fd_ >= 0) close(fd_);
  }
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;

  // 0 when no socket could be bound.
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// A TCP port nothing listens on right now (picked by the kernel and closed
// again at once); 0 when no socket could be bound.
inline int FreeTcpPort() { return LoopbackSocket().port(); }

}  // namespace tao::tests

#endif  // TAO_TESTS_SUPPORT_FREE_PORT_H_
