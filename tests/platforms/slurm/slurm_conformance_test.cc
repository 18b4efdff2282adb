// The platform conformance suite (tests/platforms/conformance) on the slurm
// driver, the REAL single-node SLURM cluster and the loopback sshd
// (scripts/slurm-up, scripts/sshd-up), over the ssh path to the login host,
// with runtime "none" (the reference backend runs on the node under the
// containers' entry-point names). Skipped without the cluster unless
// TAO_REQUIRE_SLURM is set.
#include <pwd.h>
#include <signal.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "platforms/slurm/slurm_platform.h"
#include "tests/platforms/conformance/platform_conformance.h"
#include "tests/platforms/slurm/slurm_test_env.h"
#include "tests/support/free_port.h"
#include "tests/support/random_job_id.h"

namespace tao::platforms::slurm {
namespace {

class SlurmConformanceEnv : public conformance::ConformanceEnv {
 public:
  absl::Status SetUp() override {
    absl::StatusOr<testing::SlurmTestEnv> env = testing::FindSlurmTestEnv();
    if (!env.ok()) return env.status();
    env_ = *env;
    absl::StatusOr<std::string> root = testing::MakeTestRoot();
    if (!root.ok()) return root.status();
    root_ = *root;
    server_instance_ = absl::StrCat("tao-conformance-", tests::RandomJobId());
    return absl::OkStatus();
  }
  bool Required() const override { return testing::SlurmRequired(); }

  std::unique_ptr<Platform> MakePlatform() override { return Make(env_.sshd); }
  std::unique_ptr<Platform> MakeUnreachablePlatform() override {
    return Make(Unreachable());
  }

  LaunchSpec NewSpec() override {
    LaunchSpec spec =
        conformance::ReferenceBackendSpec("slurm", server_instance_);
    spec.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
    spec.host_port = testing::FreeHostPort();
    spec.deadline = absl::Now() + absl::Seconds(90);
    job_ids_.push_back(spec.job_id);
    host_ports_.push_back(spec.host_port);
    return spec;
  }

  Placement MissingPlacement() override { return PlacementVia(env_.sshd); }
  Placement UnreachablePlacement() override {
    return PlacementVia(Unreachable());
  }

  void CleanUp() override {
    for (const std::string& job_id : job_ids_) {
      testing::Shell("scancel --name=" + JobName(job_id));
    }
    for (int port : host_ports_) {
      for (pid_t pid : testing::ForwardingProcesses(port)) kill(pid, SIGKILL);
    }
    if (!root_.empty()) testing::Shell("rm -rf '" + root_ + "'");
    if (const passwd* user = getpwnam(env_.sshd.user.c_str())) {
      for (const std::string& job_id : job_ids_) {
        testing::Shell(absl::StrCat("rm -rf '", user->pw_dir,
                                    "/.tao-inference/slurm/", job_id, "'"));
      }
    }
  }

 private:
  // The login host on a port nothing listens on.
  SshTarget Unreachable() {
    if (closed_port_ == 0) closed_port_ = tests::FreeTcpPort();
    SshTarget closed = env_.sshd;
    closed.port = closed_port_;
    return closed;
  }

  // A job that never existed, reached (as the driver records it) via
  // `login`.
  Placement PlacementVia(const SshTarget& login) {
    Placement placement;
    placement.job_id = tests::RandomJobId();
    // A SLURM job id far beyond what the test cluster has handed out.
    placement.platform_job_id = "999999999";
    placement.host_url = "http://localhost:1";
    SlurmSettings settings;
    settings.login = login;
    StoreAccess(settings, placement.attributes);
    return placement;
  }

  std::unique_ptr<Platform> Make(const SshTarget& login) {
    SlurmPlatform::Options options;
    options.defaults.runtime = ContainerRuntime::kNone;
    options.defaults.cpus_per_task = 1;
    options.defaults.time_limit = "00:10:00";
    options.defaults.path_prepend = root_ + "/bin";
    options.defaults.login = login;
    options.defaults.tunnel_host = env_.sshd.host;
    // Job folders in the login user's home (the default work_dir).
    // Apart from the integration tests' host-port blocks (20000-29599) and
    // slurm_platform_test's node ports (30000-32700): the node is this
    // machine, so a service must not take a port another test hands out.
    options.defaults.node_port_min = 32701;
    options.defaults.node_port_max = 34000;
    options.state_dir = root_ + "/tunnels";
    options.command_timeout = absl::Seconds(30);
    options.poll.min = absl::Milliseconds(100);
    options.poll.max = absl::Seconds(1);
    absl::StatusOr<std::unique_ptr<SlurmPlatform>> platform =
        SlurmPlatform::Create(std::move(options));
    if (!platform.ok()) {
      ADD_FAILURE() << platform.status();
      return nullptr;
    }
    return *std::move(platform);
  }

  testing::SlurmTestEnv env_;
  std::string root_;
  std::string server_instance_;
  std::vector<std::string> job_ids_;
  std::vector<int> host_ports_;
  int closed_port_ = 0;
};

std::unique_ptr<conformance::ConformanceEnv> MakeSlurmEnv() {
  return std::make_unique<SlurmConformanceEnv>();
}

using conformance::PlatformConformanceTest;
INSTANTIATE_TEST_SUITE_P(Slurm, PlatformConformanceTest,
                         ::testing::Values(&MakeSlurmEnv));

}  // namespace
}  // namespace tao::platforms::slurm
