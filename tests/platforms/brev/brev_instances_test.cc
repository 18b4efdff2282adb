// What the brev CLI prints, parsed (brev-cli.md §3, §4): nothing runs.
#include "platforms/brev/brev_instances.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/brev/brev_cli.h"

namespace tao::platforms::brev {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseInstanceListTest, TheReferencesShape) {
  absl::StatusOr<std::vector<BrevInstance>> instances = ParseInstanceList(
      R"({"workspaces": [{"name":"tao-a1","id":"ws-1","status":"RUNNING",
          "build_status":"COMPLETED","shell_status":"READY",
          "health_status":"HEALTHY","instance_type":"g6e.xlarge",
          "instance_kind":"gpu","gpu":"L40S"}]})");
  ASSERT_TRUE(instances.ok()) << instances.status();
  ASSERT_EQ(instances->size(), 1u);
  const BrevInstance& a1 = (*instances)[0];
  EXPECT_EQ(a1.name, "tao-a1");
  EXPECT_EQ(a1.id, "ws-1");
  EXPECT_EQ(a1.instance_type, "g6e.xlarge");
  EXPECT_EQ(a1.gpu, "L40S");
  EXPECT_EQ(StandingOf(a1), InstanceStanding::kRunning);
}

TEST(ParseInstanceListTest, NullIsNone) {
  absl::StatusOr<std::vector<BrevInstance>> instances =
      ParseInstanceList("{\"workspaces\": null}\n");
  ASSERT_TRUE(instances.ok()) << instances.status();
  EXPECT_TRUE(instances->empty());
}

TEST(ParseInstanceListTest, TheLoggedOutPromptIsNotLoggedIn) {
  absl::StatusOr<std::vector<BrevInstance>> instances = ParseInstanceList(
      "You are currently logged out, would you like to log in? [Y/n]: ");
  EXPECT_EQ(instances.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(instances.status().message(), HasSubstr("not logged in"));
}

TEST(ParseInstanceListTest, SomethingElseSaysWhat) {
  absl::StatusOr<std::vector<BrevInstance>> instances =
      ParseInstanceList("NAME STATUS\ntao-a1 RUNNING\n");
  EXPECT_EQ(instances.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(instances.status().message(), HasSubstr("\"NAME STATUS\""));
}

TEST(StandingOfTest, EveryStatus) {
  auto standing = [](const std::string& status, const std::string& build) {
    BrevInstance instance;
    instance.status = status;
    instance.build_status = build;
    return StandingOf(instance);
  };
  EXPECT_EQ(standing("RUNNING", "BUILDING"), InstanceStanding::kStarting);
  EXPECT_EQ(standing("DEPLOYING", ""), InstanceStanding::kStarting);
  EXPECT_EQ(standing("STARTING", ""), InstanceStanding::kStarting);
  EXPECT_EQ(standing("STOPPED", "COMPLETED"), InstanceStanding::kStopped);
  EXPECT_EQ(standing("STOPPING", "COMPLETED"), InstanceStanding::kStopped);
  EXPECT_EQ(standing("UNHEALTHY", "COMPLETED"), InstanceStanding::kFailed);
  EXPECT_EQ(standing("FAILURE", ""), InstanceStanding::kFailed);
  EXPECT_EQ(standing("DEPLOYING", "CREATE_FAILED"), InstanceStanding::kFailed);
  EXPECT_EQ(standing("DELETING", "COMPLETED"), InstanceStanding::kGoing);
}

TEST(IsInstanceNameTest, TheNameRule) {
  EXPECT_TRUE(IsInstanceName("tao-a1"));
  EXPECT_TRUE(IsInstanceName("A.b_c-1"));
  EXPECT_TRUE(IsInstanceName(std::string(63, 'a')));
  EXPECT_FALSE(IsInstanceName(std::string(64, 'a')));
  EXPECT_FALSE(IsInstanceName("-tao"));
  EXPECT_FALSE(IsInstanceName("tao a1"));
  EXPECT_FALSE(IsInstanceName(""));
}

TEST(CreateChoiceForGpuTest, GpuNameOrInstanceType) {
  absl::StatusOr<CreateChoice> l40s = CreateChoiceForGpu("L40S:1");
  ASSERT_TRUE(l40s.ok()) << l40s.status();
  EXPECT_EQ(l40s->gpu_name, "L40S");
  EXPECT_TRUE(l40s->types.empty());
  absl::StatusOr<CreateChoice> types =
      CreateChoiceForGpu("g6e.xlarge,g5.xlarge");
  ASSERT_TRUE(types.ok()) << types.status();
  EXPECT_THAT(types->types, ElementsAre("g6e.xlarge", "g5.xlarge"));
  EXPECT_TRUE(types->gpu_name.empty());
  EXPECT_TRUE(CreateChoiceForGpu("")->gpu_name.empty());
  for (const char* bad : {"L40S:0", "L40S:x", ":1", "L 40S"}) {
    absl::StatusOr<CreateChoice> refused = CreateChoiceForGpu(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_THAT(refused.status().message(), HasSubstr("brev.gpu: "));
  }
}

}  // namespace
}  // namespace tao::platforms::brev
