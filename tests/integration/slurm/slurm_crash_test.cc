// tao-inferd SIGKILLed at each step of a SLURM launch, then restarted: the
// registry holds every job that exists and none that does not, a job
// submitted by the killed server is adopted (its node port found, its
// tunnel opened) and becomes READY, and a job the registry lacks is
// reported.
#include <signal.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/slurm/batch_script.h"
#include "tests/integration/launch_kill.h"
#include "tests/integration/slurm/slurm_e2e_fixture.h"

namespace tao::integration::slurm {
namespace {

namespace slurm_env = ::tao::platforms::slurm::testing;
using ::testing::HasSubstr;

class SlurmCrashTest : public SlurmE2eTest {
 protected:
  ServerConfig Config() const {
    ServerConfig config;
    config.env = ServerEnv(Access::kLocal);
    return config;
  }

  std::string KillDuringLaunch(const std::string& step,
                               const std::string& model_path) {
    absl::StatusOr<std::string> job_id =
        KillServerDuringLaunch(server_, Config(), Request(model_path), step);
    EXPECT_TRUE(job_id.ok()) << job_id.status() << "\n" << server_.Log();
    calls_.Reconnect();
    return job_id.value_or("");
  }

  // The SLURM job of service `job_id` when it is queued or running.
  static std::string LiveJob(const std::string& job_id) {
    const std::string slurm_id =
        slurm_env::JobIdNamed(platforms::slurm::JobName(job_id));
    if (slurm_id.empty()) return "";
    const std::string state = slurm_env::ScontrolState(slurm_id);
    return state == "PENDING" || state == "RUNNING" ? slurm_id : "";
  }
};

TEST_F(SlurmCrashTest, KilledBeforeSubmitLeavesNoEntryAndNoJob) {
  const std::string job_id = KillDuringLaunch("before-submit", "/models/a");
  ASSERT_FALSE(job_id.empty());
  EXPECT_FALSE(server_.ReadState().contains(job_id)) << server_.Log();
  EXPECT_EQ(slurm_env::JobIdNamed(platforms::slurm::JobName(job_id)), "");
  EXPECT_THAT(server_.Log(), HasSubstr("stopped while launching it"));
}

TEST_F(SlurmCrashTest, KilledAfterSubmitAdoptsTheJobOnRestart) {
  const std::string job_id = KillDuringLaunch("after-submit", "/models/b");
  ASSERT_FALSE(job_id.empty());
  const std::string slurm_id = LiveJob(job_id);
  ASSERT_FALSE(slurm_id.empty()) << "the submitted job is gone";
  EXPECT_EQ(EntriesClaimingAWorkload(server_.ReadState()),
            std::set<std::string>{job_id});
  EXPECT_EQ(server_.Entry(job_id).value("platform_job_id", ""), slurm_id);
  // The restarted server finds the node port the killed one never read,
  // opens the tunnel and sees the model load.
  WaitResult waited = Wait(job_id);
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_READY) << server_.Log();
  ExpectServedThroughTunnel(Refreshed(job_id));
  v1::StopResponse stopped;
  EXPECT_TRUE(Stop(job_id, &stopped).ok());
  EXPECT_EQ(LiveJob(job_id), "");
}

TEST_F(SlurmCrashTest, KilledAfterRunningBeforeLoadingKeepsTheService) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  v1::StartResponse response;
  grpc::Status started = Start(Request("/models/c+load-ms-3000"), &response);
  ASSERT_TRUE(started.ok()) << started.error_message();
  const std::string job_id = response.service().job_id();
  server_.Signal(SIGKILL);  // running, still loading the model
  ASSERT_TRUE(server_.WaitExit(absl::Seconds(10)).ok());
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  EXPECT_FALSE(LiveJob(job_id).empty());
  EXPECT_EQ(EntriesClaimingAWorkload(server_.ReadState()),
            std::set<std::string>{job_id});
  EXPECT_EQ(Wait(job_id).final_state(), v1::SERVICE_STATE_READY);
}

TEST_F(SlurmCrashTest, AJobTheRegistryLacksIsReported) {
  const std::string job_id = KillDuringLaunch("after-submit", "/models/d");
  ASSERT_FALSE(job_id.empty());
  StopServer();
  nlohmann::json state = server_.ReadState();
  state.erase(job_id);
  if (state.value("latest", "") == job_id) state.erase("latest");
  std::ofstream(server_.state_path()) << state.dump();
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  EXPECT_THAT(server_.Log(), HasSubstr(absl::StrCat(
                                 "runs ", job_id,
                                 " (cosmos-rl), started "
                                 "by this server but not in the registry")));
  slurm_env::Shell("scancel " + LiveJob(job_id));
}

}  // namespace
}  // namespace tao::integration::slurm
