// IsPortBindable tells whether a listener could take a port right now.
#include "platforms/common/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace tao::platforms {
namespace {

// A TCP socket bound to `address` on a port the kernel picks, closed on
// destruction.
class HeldPort {
 public:
  HeldPort(const std::string& address, bool listen_on_it, bool reuse_addr) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_GE(fd_, 0);
    if (reuse_addr) {
      int one = 1;
      setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    EXPECT_EQ(inet_pton(AF_INET, address.c_str(), &addr.sin_addr), 1);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    if (listen_on_it) {
      EXPECT_EQ(listen(fd_, 1), 0);
    }
    socklen_t len = sizeof(addr);
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
  }
  ~HeldPort() { Release(); }

  void Release() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(IsPortBindableTest, FalseWhileListenerHoldsPortTrueAfterRelease) {
  HeldPort held("127.0.0.1", /*listen_on_it=*/true, /*reuse_addr=*/true);
  ASSERT_GT(held.port(), 0);
  EXPECT_FALSE(IsPortBindable(held.port()));
  EXPECT_FALSE(IsPortBindable(held.port(), "127.0.0.1"));
  held.Release();
  // A listener that never accepted leaves no TIME_WAIT: the port is free.
  EXPECT_TRUE(IsPortBindable(held.port()));
}

TEST(IsPortBindableTest, FalseWhileBoundWithoutReuse) {
  HeldPort held("127.0.0.1", /*listen_on_it=*/false, /*reuse_addr=*/false);
  EXPECT_FALSE(IsPortBindable(held.port()));
  held.Release();
  EXPECT_TRUE(IsPortBindable(held.port()));
}

TEST(IsPortBindableTest, WildcardListenerBlocksLoopback) {
  // Container engines publish on 0.0.0.0; that port is busy on 127.0.0.1 too.
  HeldPort held("0.0.0.0", /*listen_on_it=*/true, /*reuse_addr=*/true);
  EXPECT_FALSE(IsPortBindable(held.port(), "127.0.0.1"));
  EXPECT_FALSE(IsPortBindable(held.port(), "0.0.0.0"));
}

TEST(IsPortBindableTest, LoopbackListenerBlocksWildcard) {
  HeldPort held("127.0.0.1", /*listen_on_it=*/true, /*reuse_addr=*/true);
  EXPECT_FALSE(IsPortBindable(held.port(), "0.0.0.0"));
}

TEST(IsPortBindableTest, ProbeDoesNotKeepThePort) {
  HeldPort probe_target("127.0.0.1", /*listen_on_it=*/false,
                        /*reuse_addr=*/false);
  const int port = probe_target.port();
  probe_target.Release();
  ASSERT_TRUE(IsPortBindable(port));
  // A second probe, and a real bind without SO_REUSEADDR, still succeed.
  EXPECT_TRUE(IsPortBindable(port));
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);
}

TEST(IsPortBindableTest, InvalidAddressIsNotBindable) {
  for (const char* address : {"", "localhost", "::1", "256.0.0.1", "1.2.3"}) {
    EXPECT_FALSE(IsPortBindable(8080, address)) << "'" << address << "'";
  }
}

TEST(EphemeralPortTest, AFreePortThatCanBeBound) {
  const int port = EphemeralPort();
  ASSERT_GT(port, 0);
  EXPECT_TRUE(IsPortBindable(port));
  EXPECT_EQ(EphemeralPort("not-an-address"), 0);
}

}  // namespace
}  // namespace tao::platforms
