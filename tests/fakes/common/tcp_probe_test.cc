// ProbeTcp against a loopback listener and a port nothing listens on.
#include "tests/fakes/common/tcp_probe.h"

#include "gtest/gtest.h"
#include "tests/fakes/common/loopback_test_socket.h"

namespace tao::fakes {
namespace {

TEST(TcpProbeTest, SucceedsOnAListeningPort) {
  LoopbackTestSocket listener(/*listening=*/true);
  EXPECT_TRUE(ProbeTcp("127.0.0.1", listener.port, absl::Seconds(5)).ok());
}

TEST(TcpProbeTest, FailsWhereNothingListens) {
  // Bound but not listening: the port is ours and refuses connections.
  LoopbackTestSocket closed(/*listening=*/false);
  absl::Status probed = ProbeTcp("127.0.0.1", closed.port, absl::Seconds(5));
  EXPECT_TRUE(absl::IsUnavailable(probed)) << probed;
}

TEST(TcpProbeTest, RefusesAHostThatIsNotAnAddress) {
  EXPECT_TRUE(
      absl::IsInvalidArgument(ProbeTcp("localhost", 80, absl::Seconds(1))));
}

}  // namespace
}  // namespace tao::fakes
