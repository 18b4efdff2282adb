#include "platforms/common/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tao::platforms {

namespace {

// Binds a TCP socket to `address`:`port` (0: any free port) and closes it;
// the port it had, or 0 when it could not bind.
int BindAndClose(int port, const std::string& address) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  int bound = 0;
  socklen_t length = sizeof(addr);
  if (inet_pton(AF_INET, address.c_str(), &addr.sin_addr) == 1 &&
      bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
    bound = ntohs(addr.sin_port);
  }
  close(fd);
  return bound;
}

}  // namespace

bool IsPortBindable(int port, const std::string& address) {
  return port > 0 && BindAndClose(port, address) == port;
}

int EphemeralPort(const std::string& address) {
  return BindAndClose(0, address);
}

}  // namespace tao::platforms
