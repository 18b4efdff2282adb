// brev end to end when things go wrong: brev logged out (with and without
// BREV_API_TOKEN), an instance that does not exist, a stopped instance
// (started), ssh refused, a container that exits while loading, a tunnel
// killed (re-opened), a container the registry lost (reported), and
// tao-inferd killed mid-launch and restarted.
#include <signal.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/brev/brev_e2e_fixture.h"
#include "tests/integration/launch_kill.h"
#include "tests/support/free_port.h"

namespace tao::integration::brev {
namespace {

using json = nlohmann::json;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using BrevFailureTest = BrevE2eTest;

constexpr int kOk = 0;
constexpr char kGiven[] = "tao-e2e-given";

class BrevLoggedOutTest : public BrevE2eTest {
 protected:
  fakes::brev::FakeBrevHome::Options FakeOptions() const override {
    fakes::brev::FakeBrevHome::Options options;
    options.logged_in = false;
    return options;
  }
};

TEST_F(BrevLoggedOutTest, WithoutATokenStartSaysHowToLogIn) {
  v1::StartResponse started;
  grpc::Status status = calls_.Start(StartRequestFor("cosmos-rl"), &started);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("BREV_API_TOKEN"));
  EXPECT_THAT(EntriesClaimingAWorkload(server_.ReadState()), IsEmpty());
  EXPECT_THAT(LiveInstances(), IsEmpty());
}

TEST_F(BrevLoggedOutTest, WithATokenTheServerLogsInAndStarts) {
  config_.env["BREV_API_TOKEN"] = fake_->token();
  RestartServer();
  const v1::Service service = calls_.StartReady(StartRequestFor("cosmos-rl"));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  bool logged_in = false;
  for (const json& call : fake_->Calls()) {
    const json argv = call.value("argv", json::array());
    if (argv.size() > 1 && argv[1] == "login") logged_in = true;
  }
  EXPECT_TRUE(logged_in) << "no `brev login` call";
  calls_.ExpectNowhere(fake_->token(), "BREV_API_TOKEN value");
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(service.job_id(), &stopped).ok()) << server_.Log();
  ExpectNoContainerLeft();
}

TEST_F(BrevFailureTest, AnUnknownInstanceIsNotFoundAndNothingIsMade) {
  RunOutput started = CliStart("cosmos-rl", "tao-no-such-instance");
  EXPECT_NE(started.exit_code, kOk);
  EXPECT_THAT(started.out + started.err, HasSubstr("tao-no-such-instance"));
  EXPECT_THAT(EntriesClaimingAWorkload(server_.ReadState()), IsEmpty());
  EXPECT_THAT(LiveInstances(), IsEmpty());
  ExpectNoContainerLeft();
}

TEST_F(BrevFailureTest, AStoppedInstanceIsStartedFirst) {
  ASSERT_TRUE(fake_->Seed(kGiven, "STOPPED").ok());
  const v1::Service service =
      calls_.StartReady(StartRequestFor("cosmos-rl", kGiven));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  std::optional<fakes::brev::Instance> instance = fake_->FindInstance(kGiven);
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->status, "RUNNING");
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(service.job_id(), &stopped).ok()) << server_.Log();
  ExpectNoContainerLeft();
  EXPECT_THAT(LiveInstances(), ElementsAre(kGiven));
}

TEST_F(BrevFailureTest, SshRefusedIsReportedAndTheServiceRecovers) {
  ASSERT_TRUE(fake_->Seed(kGiven).ok());
  const v1::Service service =
      calls_.StartReady(StartRequestFor("cosmos-rl", kGiven));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  // The instance's sshd stops answering: its Host block leads to a port
  // nobody listens on.
  const std::string config = ReadFileOrEmpty(fake_->ssh_config());
  ASSERT_THAT(config, HasSubstr("  Port "));
  const std::string refused =
      std::regex_replace(config, std::regex("  Port [0-9]+"),
                         absl::StrCat("  Port ", tests::FreeTcpPort()));
  std::ofstream(fake_->ssh_config(), std::ios::trunc) << refused;
  v1::ListRequest refresh;
  refresh.set_refresh(true);
  v1::ListResponse listed;
  grpc::Status status = calls_.List(&listed, refresh);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(listed.services_size(), 1);
  EXPECT_NE(listed.services(0).state(), v1::SERVICE_STATE_READY);
  EXPECT_THAT(listed.services(0).reason(), HasSubstr("refused"))
      << listed.services(0).DebugString();

  std::ofstream(fake_->ssh_config(), std::ios::trunc) << config;
  ASSERT_TRUE(calls_.List(&listed, refresh).ok());
  ASSERT_EQ(listed.services_size(), 1);
  EXPECT_EQ(listed.services(0).state(), v1::SERVICE_STATE_READY)
      << listed.services(0).DebugString();
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(service.job_id(), &stopped).ok()) << server_.Log();
  ExpectNoContainerLeft();
}

TEST_F(BrevFailureTest, AContainerExitingWhileLoadingFailsWithItsExitCode) {
  v1::StartRequest request = StartRequestFor("cosmos-rl");
  request.set_model_path("/models/crashy+load-ms-1500+exit-during-load-3");
  request.set_return_on_accept(true);
  v1::StartResponse started;
  grpc::Status status = calls_.Start(request, &started);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  const std::string job_id = started.service().job_id();
  WaitResult waited = calls_.Wait(job_id);
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED) << server_.Log();
  const v1::WaitReadyEvent& last = waited.events.back();
  EXPECT_THAT(last.reason() + " " + last.message(),
              ContainsRegex("exit(ed with)? code 3"));
  const std::string made = server_.Entry(job_id).value("instance_id", "");
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(job_id, &stopped).ok()) << server_.Log();
  ExpectNoContainerLeft();
  EXPECT_TRUE(made.empty() || InstanceGoneSoon(made)) << made;
}

TEST_F(BrevFailureTest, AKilledTunnelIsReopened) {
  const v1::Service service = calls_.StartReady(StartRequestFor("cosmos-rl"));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  const pid_t first = server_.RecordedTunnelPid(service.job_id());
  ASSERT_TRUE(ProcessRuns(first));
  ASSERT_EQ(kill(first, SIGKILL), 0);
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  while (ProcessRuns(first) && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  v1::ListRequest refresh;
  refresh.set_refresh(true);
  v1::ListResponse listed;
  ASSERT_TRUE(calls_.List(&listed, refresh).ok());
  const pid_t second = server_.RecordedTunnelPid(service.job_id());
  EXPECT_NE(second, first);
  EXPECT_TRUE(ProcessRuns(second)) << server_.Log();
  v1::InferRequest infer = E2eCalls::ChatRequest("hello", true);
  infer.set_job_id(service.job_id());
  v1::InferResponse answer;
  grpc::Status inferred = calls_.Infer(infer, &answer);
  EXPECT_TRUE(inferred.ok()) << inferred.error_message() << "\n"
                             << server_.Log();
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(service.job_id(), &stopped).ok());
  EXPECT_FALSE(ProcessRuns(second));
  ExpectNoContainerLeft();
}

TEST_F(BrevFailureTest, AContainerMissingFromTheRegistryIsReported) {
  ASSERT_TRUE(fake_->Seed(kGiven).ok());
  const v1::Service service =
      calls_.StartReady(StartRequestFor("cosmos-rl", kGiven));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  // The registry loses the entry while the server is down.
  server_.Signal(SIGTERM);
  ASSERT_TRUE(server_.WaitExit(absl::Seconds(30)).ok());
  json state = server_.ReadState();
  ASSERT_TRUE(state.contains(service.job_id()));
  state.erase(service.job_id());
  std::ofstream(server_.state_path(), std::ios::trunc) << state.dump(2);
  absl::Status started = server_.Start(config_);
  ASSERT_TRUE(started.ok()) << started;
  calls_.Reconnect();
  EXPECT_THAT(server_.Log(),
              HasSubstr(absl::StrCat("brev runs ", service.job_id(),
                                     " (cosmos-rl), started by this server "
                                     "but not in the registry")));
  EXPECT_THAT(server_.Log(),
              HasSubstr(absl::StrCat("container ", service.job_id(),
                                     " on brev instance ", kGiven)));
}

TEST_F(BrevFailureTest, KilledBeforeSubmitLeavesNoEntryAndNothingOnBrev) {
  absl::StatusOr<std::string> job_id = KillServerDuringLaunch(
      server_, config_, StartRequestFor("cosmos-rl"), "before-submit");
  ASSERT_TRUE(job_id.ok()) << job_id.status() << "\n" << server_.Log();
  calls_.Reconnect();
  EXPECT_FALSE(server_.ReadState().contains(*job_id)) << server_.Log();
  EXPECT_THAT(LiveInstances(), IsEmpty());
  ExpectNoContainerLeft();
}

TEST_F(BrevFailureTest, KilledAfterTheInstanceTheRestartDeletesIt) {
  absl::StatusOr<std::string> job_id = KillServerDuringLaunch(
      server_, config_, StartRequestFor("cosmos-rl"), "after-submit");
  ASSERT_TRUE(job_id.ok()) << job_id.status() << "\n" << server_.Log();
  calls_.Reconnect();
  // The launch stopped once the instance answered, before its docker run:
  // the restart finds no container, drops the entry and deletes the
  // instance made for it.
  EXPECT_THAT(EntriesClaimingAWorkload(server_.ReadState()), IsEmpty())
      << server_.Log();
  const std::string made =
      absl::StrCat("tao-", job_id->substr(0, 8), job_id->substr(9, 4));
  EXPECT_TRUE(InstanceGoneSoon(made)) << server_.Log();
  ExpectNoContainerLeft();
  // A new Start works as before.
  const v1::Service service = calls_.StartReady(StartRequestFor("cosmos-rl"));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(service.job_id(), &stopped).ok());
  ExpectNoContainerLeft();
}

}  // namespace
}  // namespace tao::integration::brev
