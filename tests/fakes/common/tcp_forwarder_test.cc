// TcpForwarder on loopback, with a small echo server as the backend.
#include "tests/fakes/common/tcp_forwarder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tests/fakes/common/loopback_test_socket.h"

namespace tao::fakes {
namespace {

// Accepts one connection at a time and echoes what it reads, upper-cased.
class EchoServer {
 public:
  EchoServer() {
    thread_ = std::thread([this] {
      while (true) {
        int client = accept(listener_.fd, nullptr, nullptr);
        if (client < 0) return;
        char buffer[256];
        ssize_t n;
        while ((n = read(client, buffer, sizeof(buffer))) > 0) {
          for (ssize_t i = 0; i < n; ++i) buffer[i] = toupper(buffer[i]);
          (void)!write(client, buffer, n);
        }
        close(client);
      }
    });
  }
  ~EchoServer() {
    shutdown(listener_.fd, SHUT_RDWR);  // ends the accept() loop
    thread_.join();
  }
  int port() const { return listener_.port; }

 private:
  LoopbackTestSocket listener_{/*listening=*/true, /*backlog=*/16};
  std::thread thread_;
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address))) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends `text` and reads until `expected` bytes came back or EOF.
std::string RoundTrip(int fd, const std::string& text, size_t expected) {
  (void)!write(fd, text.data(), text.size());
  std::string got;
  char buffer[256];
  ssize_t n;
  while (got.size() < expected && (n = read(fd, buffer, sizeof(buffer))) > 0) {
    got.append(buffer, n);
  }
  return got;
}

TEST(TcpForwarderTest, ForwardsToTheBackendTheResolverNames) {
  EchoServer echo;
  std::atomic<int> resolved{0};
  absl::StatusOr<std::unique_ptr<TcpForwarder>> forwarder =
      TcpForwarder::Listen("127.0.0.1", 0, [&]() -> std::optional<TcpBackend> {
        ++resolved;
        return TcpBackend{"127.0.0.1", echo.port()};
      });
  ASSERT_TRUE(forwarder.ok()) << forwarder.status();
  for (int i = 0; i < 3; ++i) {
    int fd = Connect((*forwarder)->port());
    ASSERT_GE(fd, 0);
    EXPECT_EQ(RoundTrip(fd, "ping", 4), "PING");
    close(fd);
  }
  EXPECT_EQ(resolved.load(), 3) << "the backend is chosen per connection";
}

TEST(TcpForwarderTest, ClosesAConnectionThatHasNoBackend) {
  absl::StatusOr<std::unique_ptr<TcpForwarder>> forwarder =
      TcpForwarder::Listen("127.0.0.1", 0,
                           []() -> std::optional<TcpBackend> { return {}; });
  ASSERT_TRUE(forwarder.ok()) << forwarder.status();
  int fd = Connect((*forwarder)->port());
  ASSERT_GE(fd, 0);
  EXPECT_EQ(RoundTrip(fd, "ping", 4), "");
  close(fd);
}

TEST(TcpForwarderTest, StoppingClosesOpenConnections) {
  EchoServer echo;
  auto forwarder =
      TcpForwarder::Listen("127.0.0.1", 0, [&]() -> std::optional<TcpBackend> {
        return TcpBackend{"127.0.0.1", echo.port()};
      });
  ASSERT_TRUE(forwarder.ok());
  const int port = (*forwarder)->port();
  int fd = Connect(port);
  ASSERT_EQ(RoundTrip(fd, "a", 1), "A");
  forwarder->reset();
  char byte;
  EXPECT_LE(read(fd, &byte, 1), 0) << "the forwarded connection was closed";
  close(fd);
  EXPECT_LT(Connect(port), 0) << "nothing listens any more";
}

TEST(TcpForwarderTest, ListensOnOtherLoopbackAddresses) {
  EchoServer echo;
  auto forwarder =
      TcpForwarder::Listen("127.0.1.7", 0, [&]() -> std::optional<TcpBackend> {
        return TcpBackend{"127.0.0.1", echo.port()};
      });
  ASSERT_TRUE(forwarder.ok()) << forwarder.status();
  EXPECT_FALSE(TcpForwarder::Listen("not-an-ip", 0, {}).ok());
}

}  // namespace
}  // namespace tao::fakes
