// Start -> WaitReady -> Infer -> List -> Stop on the real single-node SLURM
// cluster through the real tao-inferd and the generated C++ stub, on the
// local path (sbatch on this machine) and the SSH path (login host = the
// loopback sshd): two services run as SLURM jobs on the same node with
// different node ports, each behind its own ssh tunnel.
#include <pwd.h>

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/slurm/slurm_e2e_fixture.h"

namespace tao::integration::slurm {
namespace {

namespace slurm_env = ::tao::platforms::slurm::testing;

using ::testing::HasSubstr;
using ::testing::SizeIs;

class SlurmLifecycleTest : public SlurmE2eTest {
 protected:
  // `login_host`: where the registry says sbatch ran (empty: here);
  // `job_dir_prefix`: where the jobs' folders must be.
  void RunTwoServices(const v1::StartRequest& request,
                      const std::string& login_host,
                      const std::string& job_dir_prefix) {
    const v1::Service a = StartReady(request);
    const v1::Service b = StartReady(request);
    ASSERT_FALSE(a.job_id().empty());
    ASSERT_FALSE(b.job_id().empty());

    // Spec §2: the registry entries carry the scheduler's job, its node
    // and the tunnel's host port.
    const nlohmann::json entry_a = server_.Entry(a.job_id());
    const nlohmann::json entry_b = server_.Entry(b.job_id());
    ASSERT_TRUE(entry_a.is_object() && entry_b.is_object())
        << server_.ReadState().dump();
    for (const v1::Service* started : {&a, &b}) {
      const v1::Service& service = *started;
      const nlohmann::json entry = server_.Entry(service.job_id());
      EXPECT_EQ(entry.value("platform", ""), kPlatform);
      EXPECT_EQ(entry.value("platform_job_id", ""), service.platform_job_id());
      EXPECT_FALSE(service.platform_job_id().empty());
      EXPECT_TRUE(std::all_of(service.platform_job_id().begin(),
                              service.platform_job_id().end(),
                              absl::ascii_isdigit))
          << service.platform_job_id();
      EXPECT_EQ(entry.value("slurm_node", ""), service.slurm_node());
      EXPECT_EQ(entry.value("host_port", 0), service.host_port());
      EXPECT_EQ(entry.value("host_url", ""), service.host_url());
      EXPECT_EQ(slurm_env::SettledJobState(service.platform_job_id()),
                "RUNNING");
      const std::string& id = service.job_id();
      EXPECT_EQ(server_.PlatformData(id, "login_host"), login_host);
      EXPECT_EQ(server_.PlatformData(id, "runtime"), "none");
      EXPECT_TRUE(
          absl::StartsWith(server_.PlatformData(id, "job_dir"), job_dir_prefix))
          << server_.PlatformData(id, "job_dir");
    }
    EXPECT_NE(a.platform_job_id(), b.platform_job_id());
    EXPECT_FALSE(a.slurm_node().empty());
    EXPECT_EQ(a.slurm_node(), b.slurm_node()) << "the cluster has one node";
    EXPECT_NE(a.host_port(), b.host_port());
    EXPECT_NE(server_.PlatformData(a.job_id(), "node_port"),
              server_.PlatformData(b.job_id(), "node_port"));
    EXPECT_NE(server_.RecordedTunnelPid(a.job_id()),
              server_.RecordedTunnelPid(b.job_id()));
    ExpectServedThroughTunnel(a);
    ExpectServedThroughTunnel(b);

    for (const v1::Service* started : {&a, &b}) {
      const v1::Service& service = *started;
      v1::InferResponse answer;
      grpc::Status status = Infer(service.job_id(), &answer);
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(answer.job_id(), service.job_id());
      EXPECT_EQ(answer.host_url(), service.host_url());
      ASSERT_THAT(answer.choices(), SizeIs(1));
      EXPECT_THAT(answer.choices(0).text(),
                  HasSubstr("What is in this picture?"));
    }

    v1::ListResponse listed;
    ASSERT_TRUE(List(/*refresh=*/true, &listed).ok());
    ASSERT_THAT(listed.services(), SizeIs(2));
    for (const v1::Service& service : listed.services()) {
      EXPECT_EQ(service.platform(), kPlatform);
      EXPECT_EQ(service.state(), v1::SERVICE_STATE_READY)
          << service.DebugString();
      EXPECT_FALSE(service.platform_job_id().empty());
      EXPECT_FALSE(service.slurm_node().empty());
    }
    EXPECT_EQ(listed.latest_job_id(), b.job_id());

    for (const v1::Service* started : {&a, &b}) {
      v1::StopResponse stopped;
      grpc::Status status = Stop(started->job_id(), &stopped);
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(stopped.service().state(), v1::SERVICE_STATE_STOPPED);
      ExpectStopped(*started);
    }
    EXPECT_EQ(server_.ReadState(), nlohmann::json::object());
  }
};

TEST_F(SlurmLifecycleTest, TwoServicesShareTheNodeOnTheLocalPath) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  RunTwoServices(Request("/models/reasoner+load-ms-300"), "", root_ + "/work/");
}

// The server's defaults say "local"; the Start's SlurmOptions name the
// login host, so that this Start goes over ssh (and its jobs run as the
// login user, in that user's home: the default work dir).
TEST_F(SlurmLifecycleTest, TwoServicesShareTheNodeOverSshToTheLoginHost) {
  ASSERT_TRUE(StartServer(Access::kLocal, {{"TAO_SLURM_WORK_DIR", ""}}).ok())
      << server_.Log();
  v1::StartRequest request = Request("/models/reasoner+load-ms-300");
  request.mutable_slurm()->set_login_host(env_.sshd.host);
  request.mutable_slurm()->set_user(env_.sshd.user);
  const passwd* user = getpwnam(env_.sshd.user.c_str());
  ASSERT_NE(user, nullptr);
  RunTwoServices(request, env_.sshd.host,
                 std::string(user->pw_dir) + "/.tao-inference/slurm/");
}

}  // namespace
}  // namespace tao::integration::slurm
