// What Platform's defaults promise a driver that implements only the pure
// methods: no options, no repair beyond Inspect, Reattach as
// EnsureReachable, and ListOwned that says "cannot tell", not "none".
#include "platforms/platform.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms {
namespace {

using ::testing::HasSubstr;

// The least a driver implements; Inspect answers kRunning and counts.
class MinimalPlatform : public Platform {
 public:
  absl::string_view name() const override { return "minimal"; }
  absl::string_view execution_backend() const override { return "minimal"; }
  std::string HostPortScope(const LaunchSpec& spec) const override {
    return spec.options.count("remote") > 0 ? "remote" : "";
  }
  absl::StatusOr<Placement> Launch(const LaunchSpec&,
                                   const ProgressCallback&) override {
    return Placement();
  }
  absl::StatusOr<RuntimeState> Inspect(const Placement&) override {
    ++inspections;
    RuntimeState state;
    state.phase = RuntimeState::Phase::kRunning;
    return state;
  }
  absl::Status Terminate(const Placement&) override { return absl::OkStatus(); }
  absl::StatusOr<std::string> Logs(const Placement&, int) override {
    return std::string();
  }

  int inspections = 0;
};

TEST(PlatformDefaultsTest, OptionsAreRefusedByName) {
  MinimalPlatform platform;
  EXPECT_TRUE(platform.ValidateOptions({}).ok());
  EXPECT_TRUE(platform.ValidateOptions({{"partition", ""}}).ok());  // unset
  absl::Status refused = platform.ValidateOptions({{"partition", "debug"}});
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("partition"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("minimal"));
}

TEST(PlatformDefaultsTest, ListOwnedCannotTell) {
  MinimalPlatform platform;
  EXPECT_EQ(platform.ListOwned("server-1").status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(PlatformDefaultsTest, RepairAndReattachAreInspect) {
  MinimalPlatform platform;
  Placement placement;
  placement.job_id = "job-1";
  const Placement before = placement;
  ASSERT_TRUE(platform.EnsureReachable(placement).ok());
  ASSERT_TRUE(platform.Reattach(placement).ok());
  EXPECT_EQ(platform.inspections, 2);
  EXPECT_EQ(placement.attributes, before.attributes);
}

TEST(PlatformDefaultsTest, PlacedScopeIsTheScopeOfASpecWithoutOptions) {
  MinimalPlatform platform;
  EXPECT_EQ(platform.HostPortScopeOf(Placement()), "");
  LaunchSpec remote;
  remote.options["remote"] = "yes";
  EXPECT_EQ(platform.HostPortScope(remote), "remote");
}

}  // namespace
}  // namespace tao::platforms
