#include "tests/fakes/common/tcp_forwarder.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace tao::fakes {
namespace {

bool FillAddress(const std::string& host, int port, sockaddr_in* address) {
  std::memset(address, 0, sizeof(*address));
  address->sin_family = AF_INET;
  address->sin_port = htons(static_cast<uint16_t>(port));
  return inet_pton(AF_INET, host.c_str(), &address->sin_addr) == 1;
}

int ConnectTo(const TcpBackend& backend) {
  sockaddr_in address;
  if (!FillAddress(backend.host, backend.port, &address)) return -1;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Copies what `from` has to `to`; false at EOF or on an error.
bool Pump(int from, int to) {
  char buffer[64 * 1024];
  ssize_t n = read(from, buffer, sizeof(buffer));
  if (n <= 0) return false;
  for (ssize_t sent = 0; sent < n;) {
    ssize_t w = send(to, buffer + sent, n - sent, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    sent += w;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TcpForwarder>> TcpForwarder::Listen(
    const std::string& address, int port, Resolver resolver) {
  const std::string where = absl::StrCat(address, ":", port);
  sockaddr_in bind_address;
  if (!FillAddress(address, port, &bind_address)) {
    return absl::InvalidArgumentError(
        absl::StrCat(address, " is not an IPv4 address"));
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::UnavailableError(absl::StrCat("socket: ", strerror(errno)));
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, reinterpret_cast<sockaddr*>(&bind_address),
           sizeof(bind_address)) != 0 ||
      listen(fd, 64) != 0) {
    const std::string error = strerror(errno);
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", where, ": ", error));
  }
  socklen_t length = sizeof(bind_address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bind_address), &length);
  int wake[2];
  if (pipe2(wake, O_CLOEXEC) != 0) {
    close(fd);
    return absl::UnavailableError(absl::StrCat("pipe: ", strerror(errno)));
  }
  auto forwarder = std::unique_ptr<TcpForwarder>(new TcpForwarder(
      fd, ntohs(bind_address.sin_port), wake[0], std::move(resolver)));
  forwarder->wake_write_fd_ = wake[1];
  forwarder->acceptor_ =
      std::thread([f = forwarder.get()] { f->AcceptLoop(); });
  return forwarder;
}

TcpForwarder::TcpForwarder(int listen_fd, int port, int wake_fd,
                           Resolver resolver)
    : listen_fd_(listen_fd),
      port_(port),
      wake_read_fd_(wake_fd),
      resolver_(std::move(resolver)) {}

TcpForwarder::~TcpForwarder() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    // Wakes every pump (they poll these) without closing fds under them.
    for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
  }
  char byte = 0;
  (void)!write(wake_write_fd_, &byte, 1);
  acceptor_.join();
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](int* active) { return *active == 0; }, &active_));
  close(listen_fd_);
  close(wake_read_fd_);
  close(wake_write_fd_);
}

void TcpForwarder::AcceptLoop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      close(client);
      return;
    }
    open_fds_.push_back(client);
    ++active_;
    std::thread([this, client] { Forward(client); }).detach();
  }
}

void TcpForwarder::Forward(int client_fd) {
  std::optional<TcpBackend> backend = resolver_();
  int backend_fd = backend.has_value() ? ConnectTo(*backend) : -1;
  if (backend_fd >= 0) {
    {
      absl::MutexLock lock(&mu_);
      open_fds_.push_back(backend_fd);
      if (stopping_) shutdown(backend_fd, SHUT_RDWR);
    }
    while (true) {
      pollfd fds[2] = {{client_fd, POLLIN, 0}, {backend_fd, POLLIN, 0}};
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (fds[0].revents != 0 && !Pump(client_fd, backend_fd)) break;
      if (fds[1].revents != 0 && !Pump(backend_fd, client_fd)) break;
    }
  }
  absl::MutexLock lock(&mu_);
  for (int fd : {client_fd, backend_fd}) {
    if (fd < 0) continue;
    open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd),
                    open_fds_.end());
    close(fd);
  }
  --active_;
}

}  // namespace tao::fakes
