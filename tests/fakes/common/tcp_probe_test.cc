// ProbeTcp against a loopback listener and a port nothing listens on.
#include "tests/fakes/common/tcp_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace tao::fakes {
namespace {

// A bound loopback socket; listening or not.
struct LoopbackSocket {
  explicit LoopbackSocket(bool listening) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    bind(fd, reinterpret_cast<sockaddr*>(&address), length);
    if (listening) listen(fd, 4);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
  }
  ~LoopbackSocket() { close(fd); }
  int fd = -1;
  int port = 0;
};

TEST(TcpProbeTest, SucceedsOnAListeningPort) {
  LoopbackSocket listener(/*listening=*/true);
  EXPECT_TRUE(ProbeTcp("127.0.0.1", listener.port, absl::Seconds(5)).ok());
}

TEST(TcpProbeTest, FailsWhereNothingListens) {
  // Bound but not listening: the port is ours and refuses connections.
  LoopbackSocket closed(/*listening=*/false);
  absl::Status probed = ProbeTcp("127.0.0.1", closed.port, absl::Seconds(5));
  EXPECT_TRUE(absl::IsUnavailable(probed)) << probed;
}

TEST(TcpProbeTest, RefusesAHostThatIsNotAnAddress) {
  EXPECT_TRUE(
      absl::IsInvalidArgument(ProbeTcp("localhost", 80, absl::Seconds(1))));
}

}  // namespace
}  // namespace tao::fakes
