#include "platforms/slurm/node_ports.h"

#include <set>

#include "gtest/gtest.h"

namespace tao::platforms::slurm {
namespace {

TEST(NodePortsTest, PicksDistinctFreePortsInRange) {
  std::mt19937 random(42);
  const std::set<int> taken = {20001, 20002};
  for (int round = 0; round < 50; ++round) {
    std::vector<int> ports = PickNodePorts(20000, 20010, taken, 3, random);
    ASSERT_EQ(ports.size(), 3u);
    std::set<int> unique(ports.begin(), ports.end());
    EXPECT_EQ(unique.size(), 3u);
    for (int port : ports) {
      EXPECT_GE(port, 20000);
      EXPECT_LE(port, 20010);
      EXPECT_EQ(taken.count(port), 0u) << port;
    }
  }
}

TEST(NodePortsTest, CrowdedRangeGivesWhatIsLeft) {
  std::mt19937 random(7);
  std::vector<int> ports =
      PickNodePorts(30000, 30002, {30000, 30002}, 3, random);
  EXPECT_EQ(ports, std::vector<int>({30001}));
  EXPECT_TRUE(PickNodePorts(30000, 30000, {30000}, 3, random).empty());
}

}  // namespace
}  // namespace tao::platforms::slurm
