// What a tao-infer user does with SLURM, end to end on the real cluster:
// start two services (two SLURM jobs on the node, two tunnels), wait,
// infer, list, stop; on the local path and with the server's login host
// set to the loopback sshd (SLURM_HOSTNAME).
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/slurm/slurm_e2e_fixture.h"

namespace tao::integration::slurm {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr int kOk = 0;  // docs/cli.md exit codes

// The CLI's JSON of a service, as the stub's message (the fields the
// checks use).
v1::Service ServiceOf(const nlohmann::json& json) {
  v1::Service service;
  service.set_job_id(json.value("job_id", ""));
  service.set_platform(json.value("platform", ""));
  service.set_platform_job_id(json.value("platform_job_id", ""));
  service.set_slurm_node(json.value("slurm_node", ""));
  service.set_host_url(json.value("host_url", ""));
  service.set_host_port(json.value("host_port", 0));
  return service;
}

class SlurmCliTest : public SlurmE2eTest {
 protected:
  // `tao-infer start ... --json`; the service it printed.
  v1::Service CliStart(const std::string& model_path) {
    RunOutput started =
        Cli({"start", "--platform", kPlatform, "--network-arch", "cosmos-rl",
             "--model-path", model_path, "--json"});
    EXPECT_EQ(started.exit_code, kOk) << started.out << started.err << "\n"
                                      << server_.Log();
    return ServiceOf(StdoutJson(started)["service"]);
  }

  void RunTwoServices(const std::string& login_host) {
    const std::string png = server_.dir() + "/cat.png";
    std::ofstream(png, std::ios::binary) << TinyPng();

    const v1::Service a = CliStart("/models/a+load-ms-300");
    const v1::Service b = CliStart("/models/b+load-ms-300");
    ASSERT_FALSE(a.job_id().empty());
    ASSERT_FALSE(b.job_id().empty());
    for (const v1::Service* service : {&a, &b}) {
      EXPECT_EQ(service->platform(), kPlatform);
      EXPECT_FALSE(service->platform_job_id().empty());
      EXPECT_FALSE(service->slurm_node().empty());
      EXPECT_EQ(server_.PlatformData(service->job_id(), "login_host"),
                login_host);

      RunOutput waited = Cli({"wait", service->job_id()});
      EXPECT_EQ(waited.exit_code, kOk) << waited.out << waited.err;
      EXPECT_THAT(waited.out + waited.err, HasSubstr("READY"));
      ExpectServedThroughTunnel(*service);

      RunOutput inferred =
          Cli({"infer", "--job-id", service->job_id(), "--text",
               "What is this?", "--image", png, "--accept-defaults"});
      EXPECT_EQ(inferred.exit_code, kOk) << inferred.out << inferred.err;
      EXPECT_THAT(inferred.out, AllOf(HasSubstr("What is this?"),
                                      HasSubstr("max_new_tokens=1024")));
    }
    EXPECT_NE(a.platform_job_id(), b.platform_job_id());
    EXPECT_EQ(a.slurm_node(), b.slurm_node()) << "the cluster has one node";
    EXPECT_NE(a.host_port(), b.host_port());
    EXPECT_NE(server_.PlatformData(a.job_id(), "node_port"),
              server_.PlatformData(b.job_id(), "node_port"));

    RunOutput listed = Cli({"list", "--refresh", "--json"});
    EXPECT_EQ(listed.exit_code, kOk) << listed.err;
    nlohmann::json list = StdoutJson(listed);
    ASSERT_EQ(list["services"].size(), 2u) << listed.out;
    for (const nlohmann::json& service : list["services"]) {
      const v1::Service& started =
          service.value("job_id", "") == a.job_id() ? a : b;
      EXPECT_EQ(service.value("job_id", ""), started.job_id());
      EXPECT_EQ(service.value("platform", ""), kPlatform);
      EXPECT_EQ(service.value("platform_job_id", ""),
                started.platform_job_id());
      EXPECT_EQ(service.value("slurm_node", ""), started.slurm_node());
      EXPECT_EQ(service.value("host_port", 0), started.host_port());
      EXPECT_EQ(service.value("state", ""), "SERVICE_STATE_READY")
          << service.dump();
    }
    EXPECT_EQ(list["latest_job_id"], b.job_id());

    // By job id, then `latest` with --yes (no terminal here).
    RunOutput stopped = Cli({"stop", a.job_id()});
    EXPECT_EQ(stopped.exit_code, kOk) << stopped.out << stopped.err;
    ExpectStopped(a);
    RunOutput stopped_latest = Cli({"stop", "--yes"});
    EXPECT_EQ(stopped_latest.exit_code, kOk)
        << stopped_latest.out << stopped_latest.err;
    ExpectStopped(b);
    EXPECT_EQ(server_.ReadState(), nlohmann::json::object());
  }
};

TEST_F(SlurmCliTest, TwoServicesOnTheLocalPath) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  RunTwoServices("");
}

TEST_F(SlurmCliTest, TwoServicesThroughTheServersLoginHost) {
  ASSERT_TRUE(StartServer(Access::kSsh).ok()) << server_.Log();
  RunTwoServices(env_.sshd.host);
}

}  // namespace
}  // namespace tao::integration::slurm
