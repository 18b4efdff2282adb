// tao-inferd SIGKILLed at each step of a local-docker launch, then
// restarted: the registry holds every container that exists and none that
// does not, an interrupted launch whose container exists is finished and
// becomes READY, and a labelled container the registry lacks is reported.
#include <signal.h>

#include <fstream>
#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/local_docker/labels.h"
#include "tests/integration/docker/docker_e2e_fixture.h"
#include "tests/integration/launch_kill.h"

namespace tao::integration::docker {
namespace {

using ::testing::HasSubstr;

class DockerCrashTest : public DockerE2eTest {
 protected:
  // The job ids of this test's containers (any state).
  std::set<std::string> Containers() {
    std::set<std::string> ids;
    absl::StatusOr<nlohmann::json> listed = engine_->ListContainersLabelled(
        absl::StrCat(platforms::local_docker::kLabelServerInstance, "=",
                     server_instance_));
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return ids;
    for (const nlohmann::json& c : *listed) {
      ids.insert(c["Labels"].value(platforms::local_docker::kLabelJobId, ""));
    }
    return ids;
  }

  // What the registry claims runs equals what the engine has.
  void ExpectRegistryMatchesEngine() {
    EXPECT_EQ(EntriesClaimingAWorkload(server_.ReadState()), Containers())
        << server_.Log();
  }

  std::string KillDuringLaunch(const std::string& step) {
    absl::StatusOr<std::string> job_id = KillServerDuringLaunch(
        server_, config_, StartRequestFor("cosmos-rl", "/models/crash"), step);
    EXPECT_TRUE(job_id.ok()) << job_id.status() << "\n" << server_.Log();
    calls_.Reconnect();
    return job_id.value_or("");
  }
};

TEST_F(DockerCrashTest, KilledBeforeSubmitLeavesNoEntryAndNoContainer) {
  const std::string job_id = KillDuringLaunch("before-submit");
  ASSERT_FALSE(job_id.empty());
  EXPECT_FALSE(server_.ReadState().contains(job_id)) << server_.Log();
  EXPECT_EQ(Containers().count(job_id), 0u);
  EXPECT_THAT(server_.Log(), HasSubstr("stopped while launching it"));
  ExpectRegistryMatchesEngine();
}

TEST_F(DockerCrashTest, KilledAfterCreateFinishesTheLaunchOnRestart) {
  const std::string job_id = KillDuringLaunch("after-submit");
  ASSERT_FALSE(job_id.empty());
  // The container was created, never started; the restart started it.
  EXPECT_THAT(server_.Log(), HasSubstr("adopted the workload"));
  ExpectRegistryMatchesEngine();
  WaitResult waited = Wait(job_id);
  EXPECT_EQ(waited.final_state(), v1::SERVICE_STATE_READY) << server_.Log();
  v1::InferResponse answer;
  v1::InferRequest request = ChatRequest("hello", true);
  request.set_job_id(job_id);
  grpc::Status inferred = Infer(request, &answer);
  EXPECT_TRUE(inferred.ok()) << inferred.error_message();
  v1::StopResponse stopped;
  EXPECT_TRUE(Stop(job_id, &stopped).ok());
  ExpectRegistryMatchesEngine();
}

TEST_F(DockerCrashTest, KilledAfterRunningBeforeLoadingKeepsTheService) {
  v1::StartResponse response;
  grpc::Status started = Start(
      StartRequestFor("cosmos-rl", "/models/crash+load-ms-3000"), &response);
  ASSERT_TRUE(started.ok()) << started.error_message();
  const std::string job_id = response.service().job_id();
  server_.Signal(SIGKILL);  // running, still loading the model
  ASSERT_TRUE(server_.WaitExit(absl::Seconds(10)).ok());
  ASSERT_TRUE(server_.Start(config_).ok()) << server_.Log();
  calls_.Reconnect();
  ExpectRegistryMatchesEngine();
  EXPECT_EQ(Wait(job_id).final_state(), v1::SERVICE_STATE_READY);
}

TEST_F(DockerCrashTest, AContainerTheRegistryLacksIsReported) {
  const std::string job_id = KillDuringLaunch("after-submit");
  ASSERT_FALSE(job_id.empty());
  // Lose the entry behind the server's back, then restart it.
  server_.Signal(SIGKILL);
  ASSERT_TRUE(server_.WaitExit(absl::Seconds(10)).ok());
  nlohmann::json state = server_.ReadState();
  state.erase(job_id);
  if (state.value("latest", "") == job_id) state.erase("latest");
  std::ofstream(server_.state_path()) << state.dump();
  ASSERT_TRUE(server_.Start(config_).ok()) << server_.Log();
  EXPECT_THAT(server_.Log(), HasSubstr(absl::StrCat(
                                 "runs ", job_id,
                                 " (cosmos-rl), started "
                                 "by this server but not in the registry")));
}

}  // namespace
}  // namespace tao::integration::docker
