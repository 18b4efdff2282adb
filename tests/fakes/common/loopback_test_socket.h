// For the tests of this folder: a TCP socket bound to a free port of
// 127.0.0.1, listening or not. It sets no SO_REUSEPORT, so nothing else
// can bind its port while it is open (httplib sets SO_REUSEPORT on its own
// sockets, so two httplib servers could share one).
#ifndef TAO_TESTS_FAKES_COMMON_LOOPBACK_TEST_SOCKET_H_
#define TAO_TESTS_FAKES_COMMON_LOOPBACK_TEST_SOCKET_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tao::fakes {

struct LoopbackTestSocket {
  explicit LoopbackTestSocket(bool listening, int backlog = 4) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    bind(fd, reinterpret_cast<sockaddr*>(&address), length);
    if (listening) listen(fd, backlog);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  ~LoopbackTestSocket() { Close(); }
  LoopbackTestSocket(const LoopbackTestSocket&) = delete;
  LoopbackTestSocket& operator=(const LoopbackTestSocket&) = delete;

  void Close() {
    if (fd >= 0) close(fd);
    fd = -1;
  }

  int fd = -1;
  int port = 0;
};

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_COMMON_LOOPBACK_TEST_SOCKET_H_
