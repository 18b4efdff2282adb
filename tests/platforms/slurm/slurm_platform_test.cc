// The SLURM driver against a real single-node SLURM (scripts/slurm-up) and
// a real loopback sshd (scripts/sshd-up), runtime "none": the inner command
// runs the reference test backend directly on the node. Skipped when SLURM
// or the sshd is not there, unless TAO_REQUIRE_SLURM is set.
#include "platforms/slurm/slurm_platform.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "platforms/slurm/batch_script.h"
#include "tests/platforms/slurm/slurm_test_env.h"
#include "tests/support/random_job_id.h"

namespace tao::platforms::slurm {
namespace {

using testing::FindSlurmTestEnv;
using testing::ForwardingProcesses;
using ::testing::HasSubstr;
using testing::HttpGet;
using testing::HttpGetUntilOk;
using ::testing::IsEmpty;
using testing::JobIdNamed;
using testing::JobsNamed;
using ::testing::Not;
using testing::SettledJobState;
using testing::Shell;
using testing::SlurmTestEnv;

constexpr absl::Duration kServiceUpTimeout = absl::Seconds(60);

std::string ReadLocalFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class SlurmPlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SlurmTestEnv> env = FindSlurmTestEnv();
    if (!env.ok()) {
      if (testing::SlurmRequired()) {
        FAIL() << "TAO_REQUIRE_SLURM is set: " << env.status();
      }
      GTEST_SKIP() << "no test SLURM cluster: " << env.status().message();
    }
    env_ = *env;
    absl::StatusOr<std::string> root = testing::MakeTestRoot();
    ASSERT_TRUE(root.ok()) << root.status();
    root_ = *root;
  }

  void TearDown() override {
    // Whatever a failed test left: jobs by name, tunnels by pid.
    for (const std::string& job_id : job_ids_) {
      Shell("scancel --name=" + JobName(job_id));
    }
    for (int port : host_ports_) {
      for (pid_t pid : ForwardingProcesses(port)) kill(pid, SIGKILL);
    }
    if (!root_.empty()) Shell("rm -rf '" + root_ + "'");
    // Job folders the SSH path made in the login user's home.
    if (const passwd* user = getpwnam(env_.sshd.user.c_str())) {
      for (const std::string& job_id : job_ids_) {
        Shell(absl::StrCat("rm -rf '", user->pw_dir, "/.tao-inference/slurm/",
                           job_id, "'"));
      }
    }
  }

  // Local SLURM tools; tunnels through the loopback sshd.
  SlurmPlatform::Options LocalOptions() {
    SlurmPlatform::Options options = CommonOptions();
    options.defaults.login = env_.sshd;
    options.defaults.login.host.clear();
    options.defaults.tunnel_host = env_.sshd.host;
    options.defaults.work_dir = root_ + "/work";
    return options;
  }

  // Everything over ssh to the loopback sshd as its login user; job
  // folders in that user's home (the default work_dir).
  SlurmPlatform::Options SshOptions() {
    SlurmPlatform::Options options = CommonOptions();
    options.defaults.login = env_.sshd;
    return options;
  }

  std::unique_ptr<SlurmPlatform> MakePlatform(SlurmPlatform::Options options) {
    absl::StatusOr<std::unique_ptr<SlurmPlatform>> platform =
        SlurmPlatform::Create(std::move(options));
    EXPECT_TRUE(platform.ok()) << platform.status();
    return platform.ok() ? *std::move(platform) : nullptr;
  }

  // A cosmos-rl launch whose inner command is the catalog's (spec §5.2),
  // on a fresh job id and host port, with one secret.
  LaunchSpec Spec() {
    LaunchSpec spec;
    spec.job_id = tests::RandomJobId();
    spec.network_arch = "cosmos-rl";
    spec.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
    const std::string job_id = spec.job_id;
    spec.inner_command = [job_id](int port) {
      return absl::StrCat(
          "umask 0 && cosmos-rl-inference-microservice --job "
          "'{\"job_id\":\"",
          job_id,
          "\",\"specs\":{\"model_path\":\"hf_model://nvidia/"
          "Cosmos-Reason1-7B\"},\"neural_network_name\":\"cosmos-rl\"}' "
          "--docker_env_vars '{\"TAO_EXECUTION_BACKEND\":\"slurm\"}' --port ",
          port);
    };
    spec.env = {{"TAO_EXECUTION_BACKEND", "slurm"},
                {"TAO_API_JOB_ID", spec.job_id},
                {"CLOUD_BASED", "False"}};
    spec.secret_env = {{"HF_TOKEN", "hf_" + spec.job_id.substr(0, 8) + "x9"}};
    spec.num_gpus = 1;
    spec.server_instance = server_instance_;
    spec.host_port = testing::FreeHostPort();
    spec.deadline = absl::Now() + absl::Seconds(90);
    job_ids_.push_back(spec.job_id);
    host_ports_.push_back(spec.host_port);
    return spec;
  }

  // The service answers through its tunnel, got its secret as an
  // environment variable, and listens on the node port the driver recorded.
  void ExpectServing(const LaunchSpec& spec, const Placement& placement) {
    EXPECT_EQ(placement.host_url,
              absl::StrCat("http://localhost:", spec.host_port));
    EXPECT_EQ(placement.host_port, spec.host_port);
    absl::StatusOr<testing::HttpAnswer> live = HttpGetUntilOk(
        placement.host_url + "/api/v1/health/liveness", kServiceUpTimeout);
    ASSERT_TRUE(live.ok()) << live.status();
    absl::StatusOr<testing::HttpAnswer> launch =
        HttpGet(placement.host_url + "/_reference/launch");
    ASSERT_TRUE(launch.ok()) << launch.status();
    nlohmann::json info = nlohmann::json::parse(launch->body);
    EXPECT_EQ(info["env"]["HF_TOKEN"], spec.secret_env.at("HF_TOKEN"));
    EXPECT_EQ(info["env"]["TAO_EXECUTION_BACKEND"], "slurm");
    EXPECT_EQ(absl::StrCat(info["port"].get<int>()),
              placement.attributes.at("node_port"));

    const std::string script =
        ReadLocalFile(placement.attributes.at("script_path"));
    EXPECT_THAT(script, HasSubstr("#SBATCH --job-name=tao-" + spec.job_id));
    EXPECT_THAT(script, Not(HasSubstr(spec.secret_env.at("HF_TOKEN"))));
    // The job deleted its secret file when it started.
    EXPECT_NE(access(placement.attributes.at("env_path").c_str(), F_OK), 0);
  }

  void ExpectNothingQueuedOrRunning(const std::string& job_id) {
    const std::string jobs = JobsNamed(JobName(job_id));
    EXPECT_THAT(jobs, Not(HasSubstr("PENDING")));
    EXPECT_THAT(jobs, Not(HasSubstr("RUNNING")));
  }

  // Terminate cancels the job, and no ssh process forwards its port.
  void ExpectTerminated(SlurmPlatform& platform, const Placement& placement) {
    ASSERT_TRUE(platform.Terminate(placement).ok());
    EXPECT_EQ(SettledJobState(placement.platform_job_id), "CANCELLED");
    EXPECT_THAT(ForwardingProcesses(placement.host_port), IsEmpty());
    absl::StatusOr<RuntimeState> state = platform.Inspect(placement);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(state->phase, RuntimeState::Phase::kExited);
    EXPECT_THAT(state->detail, HasSubstr("CANCELLED"));
  }

  // Two services started at the same time share the node, each on its own
  // node port and tunnel.
  void RunTwoServices(SlurmPlatform& platform) {
    LaunchSpec a = Spec();
    LaunchSpec b = Spec();
    absl::StatusOr<Placement> placed_a = absl::UnknownError("not run");
    absl::StatusOr<Placement> placed_b = absl::UnknownError("not run");
    std::thread first([&] { placed_a = platform.Launch(a, nullptr); });
    std::thread second([&] { placed_b = platform.Launch(b, nullptr); });
    first.join();
    second.join();
    ASSERT_TRUE(placed_a.ok()) << placed_a.status();
    ASSERT_TRUE(placed_b.ok()) << placed_b.status();

    EXPECT_NE(placed_a->platform_job_id, placed_b->platform_job_id);
    EXPECT_FALSE(placed_a->slurm_node.empty());
    EXPECT_EQ(placed_a->slurm_node, placed_b->slurm_node);
    EXPECT_NE(placed_a->attributes.at("node_port"),
              placed_b->attributes.at("node_port"));
    EXPECT_NE(placed_a->attributes.at("tunnel_pid"),
              placed_b->attributes.at("tunnel_pid"));
    ExpectServing(a, *placed_a);
    ExpectServing(b, *placed_b);

    for (const Placement& placement : {*placed_a, *placed_b}) {
      absl::StatusOr<RuntimeState> state = platform.Inspect(placement);
      ASSERT_TRUE(state.ok()) << state.status();
      EXPECT_EQ(state->phase, RuntimeState::Phase::kRunning) << state->detail;
      absl::StatusOr<std::string> logs = platform.Logs(placement, 50);
      ASSERT_TRUE(logs.ok()) << logs.status();
      EXPECT_THAT(*logs, HasSubstr("tao-inference: service port " +
                                   placement.attributes.at("node_port")));
    }
    ExpectTerminated(platform, *placed_a);
    ExpectTerminated(platform, *placed_b);
  }

  SlurmTestEnv env_;
  std::string root_;
  // Unique per test, so that ListOwned sees only this test's jobs.
  const std::string server_instance_ = "slurm-test-" + tests::RandomJobId();
  std::vector<std::string> job_ids_;
  std::vector<int> host_ports_;

 private:
  SlurmPlatform::Options CommonOptions() {
    SlurmPlatform::Options options;
    options.defaults.runtime = ContainerRuntime::kNone;
    options.defaults.cpus_per_task = 1;
    options.defaults.time_limit = "00:10:00";
    options.defaults.path_prepend = root_ + "/bin";
    // Above the integration tests' host-port blocks (20000-29599): a
    // service on the node (this machine) must not take a port one of their
    // servers hands out.
    options.defaults.node_port_min = 30000;
    options.defaults.node_port_max = 32700;
    options.state_dir = root_ + "/tunnels";
    options.command_timeout = absl::Seconds(30);
    options.poll.min = absl::Milliseconds(100);
    options.poll.max = absl::Seconds(1);
    return options;
  }
};

TEST_F(SlurmPlatformTest, TwoServicesShareANodeLocally) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);
  RunTwoServices(*platform);
}

TEST_F(SlurmPlatformTest, TwoServicesShareANodeOverSsh) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(SshOptions());
  ASSERT_NE(platform, nullptr);
  RunTwoServices(*platform);
}

TEST_F(SlurmPlatformTest, JobCancelledBehindTheDriversBackIsExited) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);
  LaunchSpec spec = Spec();
  absl::StatusOr<Placement> placement = platform->Launch(spec, nullptr);
  ASSERT_TRUE(placement.ok()) << placement.status();

  Shell("scancel " + placement->platform_job_id);
  absl::StatusOr<RuntimeState> state;
  for (int i = 0; i < 300; ++i) {
    state = platform->Inspect(*placement);
    ASSERT_TRUE(state.ok()) << state.status();
    // COMPLETING comes before the final CANCELLED while slurmd cleans up.
    if (state->phase != RuntimeState::Phase::kRunning &&
        !absl::StrContains(state->detail, "COMPLETING")) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(state->phase, RuntimeState::Phase::kExited);
  EXPECT_THAT(state->detail, HasSubstr("CANCELLED"));
  EXPECT_THAT(state->detail, HasSubstr(placement->platform_job_id));
  EXPECT_TRUE(state->has_exit_code);
  // Inspect closed the tunnel of the ended job.
  EXPECT_THAT(ForwardingProcesses(spec.host_port), IsEmpty());
  EXPECT_TRUE(platform->Terminate(*placement).ok());  // already gone: OK
}

TEST_F(SlurmPlatformTest, GpusNoNodeHasFailAtOnceWithTheSchedulersWords) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);
  LaunchSpec spec = Spec();
  spec.num_gpus = 99;
  absl::StatusOr<Placement> placement = platform->Launch(spec, nullptr);
  ASSERT_EQ(placement.status().code(), absl::StatusCode::kResourceExhausted)
      << placement.status();
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("Requested node configuration is not available"));
  EXPECT_THAT(std::string(placement.status().message()),
              Not(HasSubstr(spec.secret_env.at("HF_TOKEN"))));
  // SLURM keeps a FAILED (BadConstraints) record; nothing waits or runs.
  ExpectNothingQueuedOrRunning(spec.job_id);
  // Its secret file did not stay behind.
  EXPECT_NE(
      access(JobFilesIn(root_ + "/work/" + spec.job_id).env.c_str(), F_OK), 0);
}

TEST_F(SlurmPlatformTest, UnknownPartitionIsInvalidArgument) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);
  LaunchSpec spec = Spec();
  spec.options["partition"] = "no-such-partition";
  absl::StatusOr<Placement> placement = platform->Launch(spec, nullptr);
  ASSERT_EQ(placement.status().code(), absl::StatusCode::kInvalidArgument)
      << placement.status();
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("Invalid partition"));
}

TEST_F(SlurmPlatformTest, JobPendingPastTheDeadlineIsCancelled) {
  if (Shell("scontrol show partition maint").find("State=DOWN") ==
      std::string::npos) {
    GTEST_SKIP() << "needs the down partition \"maint\" of scripts/slurm-up";
  }
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);
  LaunchSpec spec = Spec();
  spec.options["partition"] = "maint";
  spec.deadline = absl::Now() + absl::Seconds(3);
  std::vector<std::string> progress;
  absl::StatusOr<Placement> placement = platform->Launch(
      spec,
      [&progress](const ProgressEvent& e) { progress.push_back(e.message); });
  ASSERT_EQ(placement.status().code(), absl::StatusCode::kDeadlineExceeded)
      << placement.status();
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("PENDING (reason PartitionDown)"));
  EXPECT_THAT(progress, ::testing::Contains(HasSubstr("PartitionDown")));
  // Nothing is left queued.
  EXPECT_EQ(SettledJobState(JobIdNamed(JobName(spec.job_id))), "CANCELLED");
  EXPECT_NE(
      access(JobFilesIn(root_ + "/work/" + spec.job_id).env.c_str(), F_OK), 0);
}

// slurmctld down, as clients see it: the configured controller port has no
// listener. A copy of the cluster's slurm.conf with another SlurmctldPort
// does that for this test process only (stopping the real slurmctld would
// break tests running in parallel).
TEST_F(SlurmPlatformTest, ControllerDownIsUnavailable) {
  const char* current = std::getenv("SLURM_CONF");
  const std::string conf = current != nullptr && *current != '\0'
                               ? current
                               : "/etc/slurm/slurm.conf";
  const std::string copy = root_ + "/slurm.conf";
  {
    std::ofstream out(copy);
    out << ReadLocalFile(conf) << "\nSlurmctldPort=" << testing::FreeHostPort()
        << "\n";
  }
  setenv("SLURM_CONF", copy.c_str(), 1);
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);

  absl::StatusOr<Placement> placement = platform->Launch(Spec(), nullptr);
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kUnavailable)
      << placement.status();
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("Unable to contact slurm controller"));

  Placement existing;
  existing.job_id = tests::RandomJobId();
  existing.platform_job_id = "1";
  EXPECT_EQ(platform->Inspect(existing).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(platform->Terminate(existing).code(),
            absl::StatusCode::kUnavailable);
  if (current != nullptr) {
    setenv("SLURM_CONF", current, 1);
  } else {
    unsetenv("SLURM_CONF");
  }
}

TEST_F(SlurmPlatformTest, LoginHostUnreachableIsUnavailable) {
  SlurmPlatform::Options options = SshOptions();
  options.defaults.login.port = testing::FreeHostPort();  // nothing listens
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(options);
  ASSERT_NE(platform, nullptr);
  absl::StatusOr<Placement> placement = platform->Launch(Spec(), nullptr);
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kUnavailable)
      << placement.status();
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("cannot reach login host"));
}

// The job ran, but no tunnel could be opened: the launch fails and the job
// is cancelled, so nothing is left running.
TEST_F(SlurmPlatformTest, TunnelFailureCancelsTheJob) {
  SlurmPlatform::Options options = LocalOptions();
  options.defaults.login.port = testing::FreeHostPort();  // no sshd there
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(options);
  ASSERT_NE(platform, nullptr);
  LaunchSpec spec = Spec();
  absl::StatusOr<Placement> placement = platform->Launch(spec, nullptr);
  ASSERT_EQ(placement.status().code(), absl::StatusCode::kUnavailable)
      << placement.status();
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("ssh tunnel"));
  EXPECT_EQ(SettledJobState(JobIdNamed(JobName(spec.job_id))), "CANCELLED");
  ExpectNothingQueuedOrRunning(spec.job_id);
  EXPECT_THAT(ForwardingProcesses(spec.host_port), IsEmpty());
}

// Inspect only looks; EnsureReachable re-opens the dead tunnel and records
// its pid in the placement.
TEST_F(SlurmPlatformTest, KilledTunnelIsReopenedByEnsureReachable) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);
  LaunchSpec spec = Spec();
  absl::StatusOr<Placement> placement = platform->Launch(spec, nullptr);
  ASSERT_TRUE(placement.ok()) << placement.status();
  const std::string url = placement->host_url + "/api/v1/health/liveness";
  ASSERT_TRUE(HttpGetUntilOk(url, kServiceUpTimeout).ok());

  const pid_t old_tunnel = std::stoi(placement->attributes.at("tunnel_pid"));
  ASSERT_EQ(kill(old_tunnel, SIGKILL), 0);
  absl::StatusOr<testing::HttpAnswer> broken;
  for (int i = 0; i < 100; ++i) {
    broken = HttpGet(url);
    if (!broken.ok()) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_FALSE(broken.ok()) << "the tunnel still answers after SIGKILL";

  absl::StatusOr<RuntimeState> state = platform->Inspect(*placement);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->phase, RuntimeState::Phase::kRunning);
  EXPECT_THAT(ForwardingProcesses(spec.host_port), IsEmpty())
      << "Inspect opened a tunnel";

  Placement repaired = *placement;
  state = platform->EnsureReachable(repaired);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->phase, RuntimeState::Phase::kRunning);
  EXPECT_TRUE(HttpGetUntilOk(url, kServiceUpTimeout).ok());
  std::vector<pid_t> tunnels = ForwardingProcesses(spec.host_port);
  ASSERT_EQ(tunnels.size(), 1u);
  EXPECT_NE(tunnels[0], old_tunnel);
  EXPECT_EQ(repaired.attributes.at("tunnel_pid"), absl::StrCat(tunnels[0]));

  // Reachable already: a second call changes nothing.
  Placement again = repaired;
  ASSERT_TRUE(platform->EnsureReachable(again).ok());
  EXPECT_EQ(again.attributes, repaired.attributes);
  EXPECT_THAT(ForwardingProcesses(spec.host_port),
              ::testing::ElementsAre(tunnels[0]));
  ExpectTerminated(*platform, repaired);
}

// One squeue answers for every job of this server instance, and only them.
TEST_F(SlurmPlatformTest, ListOwnedFindsThisServersJobsOnly) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(SshOptions());
  ASSERT_NE(platform, nullptr);
  LaunchSpec spec = Spec();
  absl::StatusOr<Placement> placement = platform->Launch(spec, nullptr);
  ASSERT_TRUE(placement.ok()) << placement.status();

  absl::StatusOr<std::vector<OwnedWorkload>> owned =
      platform->ListOwned(server_instance_);
  ASSERT_TRUE(owned.ok()) << owned.status();
  ASSERT_EQ(owned->size(), 1u);
  const OwnedWorkload& ours = (*owned)[0];
  EXPECT_EQ(ours.job_id, spec.job_id);
  EXPECT_EQ(ours.network_arch, "cosmos-rl");
  EXPECT_EQ(ours.placement.job_id, spec.job_id);
  EXPECT_EQ(ours.placement.platform_job_id, placement->platform_job_id);
  EXPECT_EQ(ours.placement.slurm_node, placement->slurm_node);
  EXPECT_THAT(ours.detail, HasSubstr("RUNNING"));
  EXPECT_THAT(ours.detail, HasSubstr("scancel " + placement->platform_job_id));

  absl::StatusOr<std::vector<OwnedWorkload>> others =
      platform->ListOwned("another-server");
  ASSERT_TRUE(others.ok()) << others.status();
  for (const OwnedWorkload& w : *others) EXPECT_NE(w.job_id, spec.job_id);

  ExpectTerminated(*platform, *placement);
  owned = platform->ListOwned(server_instance_);
  ASSERT_TRUE(owned.ok()) << owned.status();
  EXPECT_THAT(*owned, IsEmpty());
}

TEST_F(SlurmPlatformTest, ListOwnedOfAnUnreachableLoginHostIsUnavailable) {
  SlurmPlatform::Options options = SshOptions();
  options.defaults.login.port = testing::FreeHostPort();  // nothing listens
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(options);
  ASSERT_NE(platform, nullptr);
  EXPECT_EQ(platform->ListOwned(server_instance_).status().code(),
            absl::StatusCode::kUnavailable);
}

// A restarted server (a new driver instance) adopts a tunnel that survived
// it, and re-opens one that did not.
TEST_F(SlurmPlatformTest, ReattachAdoptsOrReopensTheTunnel) {
  std::unique_ptr<SlurmPlatform> before = MakePlatform(SshOptions());
  ASSERT_NE(before, nullptr);
  LaunchSpec spec = Spec();
  absl::StatusOr<Placement> launched = before->Launch(spec, nullptr);
  ASSERT_TRUE(launched.ok()) << launched.status();
  before.reset();

  // The restarted server has other defaults: the placement alone counts.
  std::unique_ptr<SlurmPlatform> after = MakePlatform(LocalOptions());
  ASSERT_NE(after, nullptr);
  Placement placement = *launched;
  const std::string first_tunnel = placement.attributes.at("tunnel_pid");
  ASSERT_TRUE(after->Reattach(placement).ok());
  EXPECT_EQ(placement.attributes.at("tunnel_pid"), first_tunnel);

  ASSERT_EQ(kill(std::stoi(first_tunnel), SIGKILL), 0);
  ASSERT_TRUE(after->Reattach(placement).ok());
  EXPECT_NE(placement.attributes.at("tunnel_pid"), first_tunnel);
  EXPECT_TRUE(HttpGetUntilOk(placement.host_url + "/api/v1/health/liveness",
                             kServiceUpTimeout)
                  .ok());
  absl::StatusOr<std::string> logs = after->Logs(placement, 5);
  EXPECT_TRUE(logs.ok()) << logs.status();
  ExpectTerminated(*after, placement);
}

TEST_F(SlurmPlatformTest, UnknownJobIsMissingAndLogsNeedAnOutputFile) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);
  Placement placement;
  placement.job_id = tests::RandomJobId();
  placement.platform_job_id = "987654321";
  absl::StatusOr<RuntimeState> state = platform->Inspect(placement);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->phase, RuntimeState::Phase::kMissing);
  EXPECT_TRUE(platform->Terminate(placement).ok());
  EXPECT_EQ(platform->Logs(placement, 10).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SlurmPlatformTest, BadOptionIsInvalidArgumentBeforeAnythingRuns) {
  std::unique_ptr<SlurmPlatform> platform = MakePlatform(LocalOptions());
  ASSERT_NE(platform, nullptr);
  EXPECT_TRUE(platform->ValidateOptions({{"partition", "debug"}}).ok());
  absl::Status refused =
      platform->ValidateOptions({{"container_runtime", "podman"}});
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.message(), "slurm.container_runtime: "))
      << refused;
  EXPECT_TRUE(absl::StartsWith(
      platform->ValidateOptions({{"nodes", "2"}}).message(), "slurm.nodes: "));
  LaunchSpec spec = Spec();
  spec.options["container_runtime"] = "podman";
  absl::StatusOr<Placement> placement = platform->Launch(spec, nullptr);
  ASSERT_EQ(placement.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("container_runtime"));
  ExpectNothingQueuedOrRunning(spec.job_id);
}

}  // namespace
}  // namespace tao::platforms::slurm
