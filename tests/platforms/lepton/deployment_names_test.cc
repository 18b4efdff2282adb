#include "platforms/lepton/deployment_names.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::lepton {
namespace {

TEST(DeploymentNameTest, TaoAndTwentyEightHexDigits) {
  absl::StatusOr<std::string> name =
      DeploymentName("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(*name, "tao-1b4e28ba2fa111d2883f0016d3cc");  // lepton-api.md §5
  EXPECT_EQ(name->size(), kMaxDeploymentName);
  EXPECT_TRUE(IsDeploymentName(*name));

  // Upper case and no dashes name the same job.
  EXPECT_EQ(*DeploymentName("1B4E28BA2FA111D2883F0016D3CCA427"), *name);
}

TEST(DeploymentNameTest, OnlyUuidsMakeNames) {
  for (const char* bad : {"", "job-1", "1b4e28ba-2fa1-11d2-883f-0016d3cca42",
                          "1b4e28ba-2fa1-11d2-883f-0016d3cca4270",
                          "1b4e28ba-2fa1-11d2-883f-0016d3cca4zz"}) {
    absl::StatusOr<std::string> name = DeploymentName(bad);
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(DeploymentNameTest, ClassicLeptonsRule) {
  EXPECT_TRUE(IsDeploymentName("a"));
  EXPECT_TRUE(IsDeploymentName("tao-x-1"));
  EXPECT_FALSE(IsDeploymentName(""));
  EXPECT_FALSE(IsDeploymentName("1tao"));
  EXPECT_FALSE(IsDeploymentName("tao-"));
  EXPECT_FALSE(IsDeploymentName("Tao"));
  EXPECT_FALSE(IsDeploymentName("tao_x"));
  EXPECT_TRUE(IsDeploymentName(std::string(32, 'a')));
  EXPECT_FALSE(IsDeploymentName(std::string(33, 'a')));
}

}  // namespace
}  // namespace tao::platforms::lepton
