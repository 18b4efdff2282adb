#include "tests/integration/slurm/slurm_e2e_fixture.h"

#include <pwd.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <random>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "tests/integration/http_probe.h"

namespace tao::integration::slurm {
namespace {

namespace slurm_env = ::tao::platforms::slurm::testing;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Node ports the driver offers jobs: above every harness port block
// (20000-29599) and below the kernel's ephemeral range, so that a
// service on the node never takes a port another test's server hands out.
constexpr char kNodePorts[] = "30000-32700";

// Every distinct first group of `pattern` in `text`.
std::set<std::string> Matches(const std::string& text,
                              const std::string& pattern) {
  std::set<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re);
       it != std::sregex_iterator(); ++it) {
    found.insert((*it)[1].str());
  }
  return found;
}

}  // namespace

std::string Canary() {
  std::mt19937_64 random(std::random_device{}());
  return absl::StrCat("hf-canary-", random());
}

void SlurmE2eTest::SetUp() {
  absl::StatusOr<slurm_env::SlurmTestEnv> env = slurm_env::FindSlurmTestEnv();
  if (!env.ok()) {
    if (slurm_env::SlurmRequired()) {
      FAIL() << "TAO_REQUIRE_SLURM is set but the test cluster is not usable: "
             << env.status();
    }
    GTEST_SKIP() << "no test SLURM cluster: " << env.status().message();
  }
  env_ = *env;
  absl::StatusOr<std::string> root = slurm_env::MakeTestRoot();
  ASSERT_TRUE(root.ok()) << root.status();
  root_ = *root;
  ready_ = true;
}

void SlurmE2eTest::TearDown() {
  if (!ready_) return;
  StopServer();
  // Every job the server submitted (it logs each one, failed Starts
  // included), and every tunnel forwarding a port of its block.
  const std::string log = server_.Log();
  if (HasFailure()) std::cerr << "tao-inferd log:\n" << log << std::endl;
  for (const std::string& id : Matches(log, "submitted SLURM job ([0-9]+)")) {
    slurm_env::Shell("scancel " + id);
  }
  const int first = server_.first_service_port();
  for (int port = first; port < first + ServerHarness::kPortBlockSize; ++port) {
    for (pid_t pid : slurm_env::ForwardingProcesses(port)) kill(pid, SIGKILL);
  }
  // Job folders the SSH path made in the login user's home.
  if (const passwd* user = getpwnam(env_.sshd.user.c_str())) {
    for (const std::string& job_id :
         Matches(log, "start ([0-9a-f]{8}-[0-9a-f-]{27}): ")) {
      slurm_env::Shell(absl::StrCat("rm -rf '", user->pw_dir,
                                    "/.tao-inference/slurm/", job_id, "'"));
    }
  }
  if (!root_.empty()) slurm_env::Shell("rm -rf '" + root_ + "'");

  calls_.ExpectNowhere(hf_token_, "HF_TOKEN value");
}

std::map<std::string, std::string> SlurmE2eTest::ServerEnv(
    Access access, const std::map<std::string, std::string>& overrides) const {
  std::map<std::string, std::string> env = {
      // Empty is unset for the driver (the test's own environment may
      // carry SLURM_* variables).
      {"SLURM_HOSTNAME", access == Access::kSsh ? env_.sshd.host : ""},
      {"SLURM_USER", env_.sshd.user},
      {"SSH_KEY_PATH", env_.sshd.key_path},
      {"SLURM_SSH_PORT", absl::StrCat(env_.sshd.port)},
      {"SLURM_SSH_KNOWN_HOSTS", env_.sshd.known_hosts},
      {"SLURM_TUNNEL_HOST", ""},
      {"SLURM_PARTITION", ""},
      {"SLURM_ACCOUNT", ""},
      {"TAO_SLURM_RUNTIME", "none"},
      {"TAO_SLURM_CPUS_PER_TASK", "1"},
      {"TAO_SLURM_GRES", "gpu"},
      {"TAO_SLURM_TIME_LIMIT", "00:10:00"},
      {"TAO_SLURM_PATH_PREPEND", root_ + "/bin"},
      // Local jobs run as this user in the test's folder; SSH-path jobs
      // run as the login user in its home (the default).
      {"TAO_SLURM_WORK_DIR", access == Access::kLocal ? root_ + "/work" : ""},
      {"TAO_SLURM_NODE_PORTS", kNodePorts},
      {"TAO_SLURM_STATE_DIR", server_.dir() + "/tunnels"},
      {"HF_TOKEN", hf_token_},
      {"TAO_SERVER_INSTANCE", server_instance_},
  };
  for (const auto& [name, value] : overrides) env[name] = value;
  return env;
}

absl::Status SlurmE2eTest::StartServer(
    Access access, const std::map<std::string, std::string>& overrides) {
  ServerConfig config;
  config.env = ServerEnv(access, overrides);
  absl::Status started = server_.Start(config);
  if (started.ok()) calls_.Reconnect();
  return started;
}

void SlurmE2eTest::StopServer() {
  if (!server_.running()) return;
  server_.Signal(SIGTERM);
  if (!server_.WaitExit(absl::Seconds(30)).ok()) {
    server_.Signal(SIGKILL);
    server_.WaitExit(absl::Seconds(5)).IgnoreError();
  }
}

v1::StartRequest SlurmE2eTest::Request(const std::string& model_path) {
  v1::StartRequest request;
  request.set_platform(kPlatform);
  request.set_network_arch("cosmos-rl");
  request.set_model_path(model_path);
  return request;
}

grpc::Status SlurmE2eTest::Start(const v1::StartRequest& request,
                                 v1::StartResponse* response,
                                 absl::Duration deadline) {
  return calls_.Start(request, response, deadline);
}

v1::Service SlurmE2eTest::StartReady(const v1::StartRequest& request) {
  return calls_.StartReady(request, absl::Seconds(60));
}

WaitResult SlurmE2eTest::Wait(const std::string& job_id) {
  return calls_.Wait(job_id, absl::Seconds(60));
}

grpc::Status SlurmE2eTest::Infer(const std::string& job_id,
                                 v1::InferResponse* response,
                                 bool wait_for_ready) {
  v1::InferRequest request =
      E2eCalls::ChatRequest("What is in this picture?", /*with_image=*/true);
  request.set_job_id(job_id);
  request.set_wait_for_ready(wait_for_ready);
  return calls_.Infer(request, response);
}

grpc::Status SlurmE2eTest::Stop(const std::string& job_id,
                                v1::StopResponse* response) {
  return calls_.Stop(job_id, response);
}

grpc::Status SlurmE2eTest::List(bool refresh, v1::ListResponse* response) {
  v1::ListRequest request;
  request.set_refresh(refresh);
  return calls_.List(response, request);
}

v1::Service SlurmE2eTest::Refreshed(const std::string& job_id) {
  v1::ListResponse listed;
  grpc::Status status = List(/*refresh=*/true, &listed);
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (const v1::Service& service : listed.services()) {
    if (service.job_id() == job_id) return service;
  }
  ADD_FAILURE() << "List does not show " << job_id;
  return v1::Service();
}

RunOutput SlurmE2eTest::Cli(const std::vector<std::string>& args) {
  return calls_.Cli(args);
}

bool SlurmE2eTest::RegistryEmpty() const {
  if (ReadFileOrEmpty(server_.state_path()).empty()) return true;
  return server_.ReadState() == nlohmann::json::object();
}

void SlurmE2eTest::KillTunnel(pid_t pid, int host_port) {
  ASSERT_GT(pid, 0);
  ASSERT_THAT(slurm_env::ForwardingProcesses(host_port), Contains(pid))
      << "pid " << pid << " does not forward port " << host_port;
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  // The server reaps its child lazily; a zombie has no command line.
  for (int i = 0; i < 500; ++i) {
    if (slurm_env::ForwardingProcesses(host_port).empty()) return;
    absl::SleepFor(absl::Milliseconds(20));
  }
  FAIL() << "an ssh process still forwards port " << host_port;
}

void SlurmE2eTest::ExpectStopped(const v1::Service& service) {
  const std::string state =
      slurm_env::SettledJobState(service.platform_job_id());
  EXPECT_TRUE(state == "CANCELLED" || state.empty())
      << "SLURM job " << service.platform_job_id() << " is " << state;
  EXPECT_THAT(slurm_env::ForwardingProcesses(service.host_port()), IsEmpty())
      << "an ssh tunnel for port " << service.host_port() << " is left";
  EXPECT_TRUE(server_.Entry(service.job_id()).is_null())
      << "the registry still has " << service.job_id();
}

void SlurmE2eTest::ExpectServedThroughTunnel(const v1::Service& service) {
  EXPECT_EQ(service.host_url(),
            absl::StrCat("http://localhost:", service.host_port()));
  absl::StatusOr<nlohmann::json> launch =
      GetJson(service.host_url() + "/_reference/launch");
  ASSERT_TRUE(launch.ok()) << launch.status();
  EXPECT_EQ((*launch)["env"].value("HF_TOKEN", ""), hf_token_)
      << "HF_TOKEN did not reach the backend as an environment variable";
  EXPECT_EQ((*launch)["env"].value("TAO_API_JOB_ID", ""), service.job_id());
  EXPECT_EQ(absl::StrCat((*launch).value("port", 0)),
            server_.PlatformData(service.job_id(), "node_port"));
  // Its own tunnel: the ssh process the registry names forwards host_port.
  EXPECT_THAT(
      slurm_env::ForwardingProcesses(service.host_port()),
      ::testing::ElementsAre(server_.RecordedTunnelPid(service.job_id())));
}

}  // namespace tao::integration::slurm
