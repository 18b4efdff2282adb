// DockerContainers against the real engine (scripts/docker-up) and the
// reference-backend test image.
#include "tests/fakes/common/docker_containers.h"

#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/platforms/local_docker/docker_test_env.h"

namespace tao::fakes {
namespace {

namespace docker_testing = platforms::local_docker::testing;
using State = ContainerStatus::State;

class DockerContainersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string host;
    TAO_REQUIRE_DOCKER_ENGINE(host);
    ASSERT_TRUE(docker_testing::EnsureTestImage(host).ok());
    absl::StatusOr<std::unique_ptr<DockerContainers>> connected =
        DockerContainers::Connect(host);
    ASSERT_TRUE(connected.ok()) << connected.status();
    docker_ = *std::move(connected);
    name_ = docker_testing::UniqueName("tao-fake-common");
  }
  void TearDown() override {
    if (docker_ != nullptr) {
      EXPECT_TRUE(docker_->Remove(name_).ok());
    }
  }

  ContainerSpec Spec(const std::string& script) {
    ContainerSpec spec;
    spec.name = name_;
    spec.image = docker_testing::kTestImage;
    spec.entrypoint = {"/bin/bash", "-c"};
    spec.args = {script};
    spec.env = {{"GREETING", "hello from the env"}};
    spec.labels = {{"tao.test/owner", name_}};
    return spec;
  }

  std::unique_ptr<DockerContainers> docker_;
  std::string name_;
};

TEST_F(DockerContainersTest, RunsInspectsLogsAndRemoves) {
  absl::StatusOr<std::string> id =
      docker_->Run(Spec("echo \"$GREETING\"; echo to-stderr >&2; sleep 60"));
  ASSERT_TRUE(id.ok()) << id.status();
  absl::StatusOr<ContainerStatus> status = docker_->Inspect(name_);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->state, State::kRunning);
  EXPECT_EQ(status->id, *id);
  EXPECT_THAT(status->ip, ::testing::MatchesRegex("[0-9.]+"));
  EXPECT_NE(status->started_at, absl::InfinitePast());

  std::string logs;
  for (int i = 0; i < 50 && !absl::StrContains(logs, "to-stderr"); ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    logs = docker_->Logs(name_, -1).value_or("");
  }
  // Both streams (the engine orders lines of different streams by their
  // time stamps only).
  EXPECT_THAT(logs, ::testing::HasSubstr("hello from the env\n"));
  EXPECT_THAT(logs, ::testing::HasSubstr("to-stderr\n"));
  EXPECT_EQ(logs.size(), std::string("hello from the env\nto-stderr\n").size());
  const std::string last = docker_->Logs(name_, 1).value_or("");
  EXPECT_TRUE(last == "to-stderr\n" || last == "hello from the env\n") << last;

  absl::StatusOr<std::vector<std::string>> listed =
      docker_->ListLabelled("tao.test/owner", name_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(*listed, ::testing::ElementsAre(name_));

  ASSERT_TRUE(docker_->Remove(name_).ok());
  status = docker_->Inspect(name_);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->state, State::kMissing);
  EXPECT_TRUE(docker_->Remove(name_).ok()) << "removing twice is fine";
  EXPECT_TRUE(absl::IsNotFound(docker_->Logs(name_, -1).status()));
}

TEST_F(DockerContainersTest, TimestampedLogsCarryTheEnginesTimes) {
  const absl::Time before = absl::Now() - absl::Minutes(1);
  ASSERT_TRUE(docker_->Run(Spec("echo one; echo two words; exit 0")).ok());
  ASSERT_TRUE(docker_->Wait(name_, absl::Seconds(30)).ok());
  absl::StatusOr<std::vector<LogLine>> lines =
      docker_->TimestampedLogs(name_, -1);
  ASSERT_TRUE(lines.ok()) << lines.status();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].text, "one");
  EXPECT_EQ((*lines)[1].text, "two words");
  for (const LogLine& line : *lines) {
    EXPECT_GT(line.time, before);
    EXPECT_LT(line.time, absl::Now() + absl::Minutes(1));
  }
  EXPECT_LE((*lines)[0].time, (*lines)[1].time);
  absl::StatusOr<std::vector<LogLine>> last =
      docker_->TimestampedLogs(name_, 1);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].text, "two words");
  // Logs keeps its plain form.
  EXPECT_EQ(docker_->Logs(name_, -1).value_or(""), "one\ntwo words\n");
}

TEST_F(DockerContainersTest, ReportsTheExitCode) {
  ASSERT_TRUE(docker_->Run(Spec("exit 3")).ok());
  ASSERT_TRUE(docker_->Wait(name_, absl::Seconds(30)).ok());
  absl::StatusOr<ContainerStatus> status = docker_->Inspect(name_);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->state, State::kExited);
  EXPECT_EQ(status->exit_code, 3);
  EXPECT_EQ(status->ip, "");
  // (The engine may stamp a fast exit a moment before its start.)
  EXPECT_NE(status->finished_at, absl::InfinitePast());
}

TEST_F(DockerContainersTest, AMissingImageIsNotFoundWithTheEnginesWords) {
  absl::Status pulled =
      docker_->EnsureImage("tao-no-such-registry.invalid/none/nothing:1");
  EXPECT_TRUE(absl::IsNotFound(pulled)) << pulled;
  EXPECT_FALSE(pulled.message().empty());
  EXPECT_TRUE(docker_->EnsureImage(docker_testing::kTestImage).ok());
}

}  // namespace
}  // namespace tao::fakes
