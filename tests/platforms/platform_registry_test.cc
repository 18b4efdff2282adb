// PlatformRegistry: drivers by name, with errors that tell the caller what
// this server offers instead.
#include "platforms/platform_registry.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/platforms/testing/scripted_platform.h"

namespace tao::platforms {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ScriptedPlatform;

TEST(PlatformRegistryTest, FindsRegisteredDriverByName) {
  PlatformRegistry registry;
  auto docker = std::make_unique<ScriptedPlatform>("local-docker");
  Platform* docker_ptr = docker.get();
  auto slurm = std::make_unique<ScriptedPlatform>("slurm");
  Platform* slurm_ptr = slurm.get();
  ASSERT_TRUE(registry.Register(std::move(docker)).ok());
  ASSERT_TRUE(registry.Register(std::move(slurm)).ok());

  absl::StatusOr<Platform*> found = registry.Find("local-docker");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, docker_ptr);
  found = registry.Find("slurm");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, slurm_ptr);
}

TEST(PlatformRegistryTest, NamesAreSorted) {
  PlatformRegistry registry;
  for (const char* name : {"slurm", "brev", "local-docker", "kubernetes"}) {
    ASSERT_TRUE(
        registry.Register(std::make_unique<ScriptedPlatform>(name)).ok());
  }
  EXPECT_THAT(registry.names(),
              ElementsAre("brev", "kubernetes", "local-docker", "slurm"));
}

TEST(PlatformRegistryTest, EmptyRegistryHasNoNames) {
  PlatformRegistry registry;
  EXPECT_THAT(registry.names(), IsEmpty());
}

TEST(PlatformRegistryTest, UnknownNameListsAvailablePlatforms) {
  PlatformRegistry registry;
  ASSERT_TRUE(
      registry.Register(std::make_unique<ScriptedPlatform>("slurm")).ok());
  ASSERT_TRUE(
      registry.Register(std::make_unique<ScriptedPlatform>("local-docker"))
          .ok());

  absl::StatusOr<Platform*> found = registry.Find("lepton");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(found.status().message(), HasSubstr("\"lepton\""));
  EXPECT_THAT(found.status().message(),
              HasSubstr("available: local-docker, slurm"));
}

TEST(PlatformRegistryTest, UnknownNameOnEmptyRegistrySaysNone) {
  PlatformRegistry registry;
  absl::StatusOr<Platform*> found = registry.Find("local-docker");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(found.status().message(), HasSubstr("available: (none)"));
}

TEST(PlatformRegistryTest, LookupIsExact) {
  PlatformRegistry registry;
  ASSERT_TRUE(
      registry.Register(std::make_unique<ScriptedPlatform>("local-docker"))
          .ok());
  for (const char* name : {"Local-Docker", "local-docker ", "local", ""}) {
    EXPECT_EQ(registry.Find(name).status().code(), absl::StatusCode::kNotFound)
        << "'" << name << "'";
  }
}

TEST(PlatformRegistryTest, DuplicateNameIsRejectedAndFirstKept) {
  PlatformRegistry registry;
  auto first = std::make_unique<ScriptedPlatform>("slurm");
  Platform* first_ptr = first.get();
  ASSERT_TRUE(registry.Register(std::move(first)).ok());

  absl::Status second =
      registry.Register(std::make_unique<ScriptedPlatform>("slurm"));
  EXPECT_EQ(second.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(second.message(), HasSubstr("\"slurm\""));

  absl::StatusOr<Platform*> found = registry.Find("slurm");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, first_ptr);
  EXPECT_THAT(registry.names(), ElementsAre("slurm"));
}

TEST(PlatformRegistryTest, NullDriverIsRejected) {
  PlatformRegistry registry;
  absl::Status status = registry.Register(nullptr);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(registry.names(), IsEmpty());
}

}  // namespace
}  // namespace tao::platforms
