// LaunchOptions: a StartRequest's platform options as the driver reads them.
#include "server/core/launch_options.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(LaunchOptionsTest, NoOptionsIsAnEmptyMap) {
  v1::StartRequest request;
  request.set_platform("slurm");
  absl::StatusOr<std::map<std::string, std::string>> options =
      LaunchOptions(request);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_THAT(*options, IsEmpty());
}

TEST(LaunchOptionsTest, OptionsOfThePlatformAreFlattened) {
  v1::StartRequest request;
  request.set_platform("local-docker");
  request.mutable_docker()->set_bind_address("0.0.0.0");
  request.mutable_docker()->add_gpu_device_ids("1");
  absl::StatusOr<std::map<std::string, std::string>> options =
      LaunchOptions(request);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_THAT(*options, ElementsAre(Pair("bind_address", "0.0.0.0"),
                                    Pair("gpu_device_ids", "1")));
}

TEST(LaunchOptionsTest, OptionsOfAnotherPlatformAreRefusedNamingTheField) {
  v1::StartRequest request;
  request.set_platform("local-docker");
  request.mutable_slurm()->set_partition("gpu");
  absl::StatusOr<std::map<std::string, std::string>> options =
      LaunchOptions(request);
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(options.status().message()),
              HasSubstr("options for platform slurm were sent with platform "
                        "\"local-docker\""));
}

}  // namespace
}  // namespace tao::core
