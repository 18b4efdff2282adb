#include "tests/fakes/common/tcp_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace tao::fakes {

absl::Status ProbeTcp(const std::string& host, int port,
                      absl::Duration timeout) {
  sockaddr_in address;
  std::memset(&address, 0, sizeof(address));
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(host, " is not an IPv4 address"));
  }
  const std::string where = absl::StrCat(host, ":", port);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("socket: ", strerror(errno)));
  }
  int result =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  int error = result == 0 ? 0 : errno;
  if (error == EINPROGRESS) {
    pollfd pending = {fd, POLLOUT, 0};
    int ready =
        poll(&pending, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
    if (ready <= 0) {
      close(fd);
      return absl::UnavailableError(absl::StrCat(
          "no answer from ", where, " within ", absl::FormatDuration(timeout)));
    }
    socklen_t length = sizeof(error);
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
  }
  close(fd);
  if (error != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to ", where, ": ", strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace tao::fakes
