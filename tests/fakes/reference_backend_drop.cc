#include "tests/fakes/reference_backend_drop.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

namespace tao::fakes {
namespace {

int PortOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return -1;
}

bool Matches(int fd, int local_port, int remote_port) {
  sockaddr_storage local{};
  sockaddr_storage peer{};
  socklen_t local_size = sizeof(local);
  socklen_t peer_size = sizeof(peer);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
      getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) {
    return false;
  }
  return PortOf(local) == local_port && PortOf(peer) == remote_port;
}

}  // namespace

bool DropConnection(int local_port, int remote_port) {
  DIR* fds = opendir("/proc/self/fd");
  if (fds == nullptr) return false;
  bool dropped = false;
  while (dirent* entry = readdir(fds)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(fds)) continue;
    if (Matches(static_cast<int>(fd), local_port, remote_port)) {
      shutdown(static_cast<int>(fd), SHUT_RDWR);
      dropped = true;
    }
  }
  closedir(fds);
  return dropped;
}

}  // namespace tao::fakes
