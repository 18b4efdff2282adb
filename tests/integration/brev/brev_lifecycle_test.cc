// brev end to end through tao-infer: two services on one Brev instance get
// host ports 8080 and 8081 there; a service without an instance gets an
// instance of its own (made with `brev create`) and 8080 again; infer by job
// id and by architecture; stop removes the containers and the tunnels (their
// pids gone) and deletes the instance the server made, not the one it was
// given. The HF_TOKEN canary reaches the containers' environment only.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/brev/brev_e2e_fixture.h"
#include "tests/support/http_get.h"

namespace tao::integration::brev {
namespace {

using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;

using BrevLifecycleTest = BrevE2eTest;

constexpr int kOk = 0;
constexpr int kTarget = 3;
constexpr char kGiven[] = "tao-e2e-given";

TEST_F(BrevLifecycleTest, PortsPerInstanceInferAndStopLeavesNothing) {
  ASSERT_TRUE(fake_->Seed(kGiven).ok());
  // Two services on the given instance, one on an instance of its own.
  for (const char* arch : {"cosmos-rl", "cosmos-predict2.5"}) {
    RunOutput started = CliStart(arch, kGiven);
    ASSERT_EQ(started.exit_code, kOk) << started.out << started.err << "\n"
                                      << server_.Log();
  }
  RunOutput own = CliStart("cosmos-rl");
  ASSERT_EQ(own.exit_code, kOk) << own.out << own.err << "\n" << server_.Log();

  RunOutput listed = calls_.Cli({"list", "--refresh", "--json"});
  ASSERT_EQ(listed.exit_code, kOk) << listed.err;
  const json list = StdoutJson(listed);
  ASSERT_EQ(list["services"].size(), 3u) << listed.out;
  std::string given_rl, given_predict, alone;
  std::map<std::string, int> port_of;
  for (const json& service : list["services"]) {
    const std::string id = service.value("job_id", "");
    EXPECT_EQ(service.value("platform", ""), kPlatform);
    EXPECT_EQ(service.value("state", ""), "SERVICE_STATE_READY")
        << service.dump();
    EXPECT_THAT(service.value("host_url", ""),
                MatchesRegex("http://localhost:[0-9]+"));
    port_of[id] = service.value("host_port", 0);
    const std::string instance = server_.Entry(id).value("instance_id", "");
    if (instance != kGiven) {
      alone = id;
    } else if (service.value("network_arch", "") == "cosmos-rl") {
      given_rl = id;
    } else {
      given_predict = id;
    }
  }
  ASSERT_FALSE(given_rl.empty() || given_predict.empty() || alone.empty())
      << listed.out;
  // Ports are per instance: 8080 and 8081 on one, 8080 again on the other.
  EXPECT_EQ(port_of[given_rl], 8080);
  EXPECT_EQ(port_of[given_predict], 8081);
  EXPECT_EQ(port_of[alone], 8080);
  const std::string made = server_.Entry(alone).value("instance_id", "");
  EXPECT_THAT(made, MatchesRegex("tao-[0-9a-f]{12}"));
  EXPECT_EQ(server_.PlatformData(alone, "created_instance"), "1");
  EXPECT_EQ(server_.PlatformData(given_rl, "created_instance"), "");
  EXPECT_THAT(LiveInstances(), Contains(made));
  std::vector<pid_t> tunnels;
  for (const std::string& id : {given_rl, given_predict, alone}) {
    tunnels.push_back(server_.RecordedTunnelPid(id));
    EXPECT_TRUE(ProcessRuns(tunnels.back())) << "no tunnel for " << id;
  }
  EXPECT_EQ(OurContainers().size(), 3u);

  // The canary reached the container (the reference backend shows its
  // environment), through the tunnel the server owns.
  for (const json& service : list["services"]) {
    if (service.value("job_id", "") != alone) continue;
    absl::StatusOr<tests::HttpAnswer> launch =
        tests::HttpGet(service.value("host_url", "") + "/_reference/launch");
    ASSERT_TRUE(launch.ok()) << launch.status();
    const json launched = json::parse(launch->body, nullptr, false);
    ASSERT_TRUE(launched.is_object()) << launch->body;
    EXPECT_EQ(launched["env"].value("HF_TOKEN", ""), hf_token_);
    EXPECT_EQ(launched["env"].value("TAO_EXECUTION_BACKEND", ""),
              "local-docker");
  }

  const std::string png = server_.dir() + "/in.png";
  std::ofstream(png, std::ios::binary) << TinyPng();
  RunOutput by_id =
      calls_.Cli({"infer", "--job-id", alone, "--text", "What is this?",
                  "--image", png, "--accept-defaults", "--json"});
  EXPECT_EQ(by_id.exit_code, kOk) << by_id.out << by_id.err;
  EXPECT_EQ(StdoutJson(by_id).value("job_id", ""), alone);
  const std::string video = server_.dir() + "/robot.mp4";
  RunOutput by_arch = calls_.Cli(
      {"infer", "--network-arch", "cosmos-predict2.5", "--text",
       "a robot stacking cubes", "--accept-defaults", "--output", video});
  EXPECT_EQ(by_arch.exit_code, kOk) << by_arch.out << by_arch.err;
  const std::string bytes = ReadFileOrEmpty(video);
  ASSERT_GT(bytes.size(), 8u) << by_arch.out;
  EXPECT_EQ(bytes.substr(4, 4), "ftyp");
  // Two cosmos-rl services: no guess.
  RunOutput refused = calls_.Cli({"infer", "--network-arch", "cosmos-rl",
                                  "--text", "hi", "--accept-defaults"});
  EXPECT_EQ(refused.exit_code, kTarget) << refused.out << refused.err;
  EXPECT_THAT(refused.out + refused.err,
              AllOf(HasSubstr(given_rl), HasSubstr(alone)));

  for (const std::string& id : {given_rl, given_predict, alone}) {
    RunOutput stopped = calls_.Cli({"stop", id, "--yes"});
    EXPECT_EQ(stopped.exit_code, kOk) << stopped.out << stopped.err;
  }
  ExpectNoContainerLeft();
  for (pid_t pid : tunnels) {
    EXPECT_FALSE(ProcessRuns(pid)) << "tunnel " << pid << " still runs";
  }
  EXPECT_TRUE(InstanceGoneSoon(made)) << "the instance the server made stays";
  EXPECT_THAT(LiveInstances(), ElementsAre(kGiven))
      << "the given instance is not the server's to delete";
  RunOutput after = calls_.Cli({"list", "--json"});
  EXPECT_EQ(after.exit_code, kOk) << after.err;
  EXPECT_THAT(StdoutJson(after).value("services", json::array()), IsEmpty());
  // brev was never asked to run a docker command: containers go over ssh.
  for (const json& call : fake_->Calls()) {
    EXPECT_THAT(call.dump(), Not(HasSubstr("docker"))) << call.dump();
  }
}

}  // namespace
}  // namespace tao::integration::brev
