// The platform conformance suite (tests/platforms/conformance) on the brev
// driver and the fake brev CLI (tests/fakes/brev), whose instances are the
// REAL sshd of scripts/sshd-up in front of the REAL Docker engine
// (scripts/docker-up): containers, host ports, tunnels and readiness are
// real. Each launch without an instance_id creates an instance of its own.
// Skipped without the engine or the sshd unless TAO_REQUIRE_DOCKER /
// TAO_REQUIRE_SLURM are set.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platforms/brev/brev_platform.h"
#include "platforms/brev/remote_container.h"
#include "tests/fakes/brev/fake_brev_home.h"
#include "tests/fakes/common/docker_containers.h"
#include "tests/platforms/conformance/platform_conformance.h"
#include "tests/platforms/local_docker/docker_test_env.h"
#include "tests/support/free_port.h"
#include "tests/support/test_sshd.h"

namespace tao::platforms::brev {
namespace {

namespace docker_testing = local_docker::testing;
using fakes::brev::FakeBrevHome;

class BrevConformanceEnv : public conformance::ConformanceEnv {
 public:
  absl::Status SetUp() override {
    absl::StatusOr<std::string> host = docker_testing::FindDockerHost();
    if (!host.ok()) return host.status();
    docker_host_ = *host;
    absl::StatusOr<SshTarget> sshd = tests::TestSshd();
    if (!sshd.ok()) return absl::UnavailableError(sshd.status().message());
    if (absl::Status image = docker_testing::EnsureTestImage(*host);
        !image.ok()) {
      return image;
    }
    absl::StatusOr<std::unique_ptr<FakeBrevHome>> fake = FakeBrevHome::Create();
    if (!fake.ok()) return fake.status();
    fake_ = *std::move(fake);
    // brev runs with the fake's HOME and state; the driver keeps them.
    for (const auto& [name, value] : fake_->Environment()) {
      if (name == "HOME" || name == "PATH" ||
          name.rfind("FAKE_BREV_", 0) == 0) {
        ::setenv(name.c_str(), value.c_str(), 1);
      }
    }
    server_instance_ = docker_testing::UniqueName("tao-brev-conformance");
    return absl::OkStatus();
  }
  bool Required() const override {
    return docker_testing::DockerRequired() &&
           std::getenv("TAO_REQUIRE_SLURM") != nullptr;
  }

  std::unique_ptr<Platform> MakePlatform() override {
    return Make(fake_->brev());
  }
  std::unique_ptr<Platform> MakeUnreachablePlatform() override {
    // A brev that cannot reach Brev's API: every command fails (exit 1,
    // the words on stderr; the wording is the fake's, not verified).
    const std::string brev = absl::StrCat(fake_->home(), "/brev-offline");
    std::ofstream script(brev);
    script << "#!/bin/sh\necho 'dial tcp: lookup brevapi.us-west-2-prod."
              "control-plane.brev.dev: no such host' >&2\nexit 1\n";
    script.close();
    chmod(brev.c_str(), 0755);
    return Make(brev);
  }

  LaunchSpec NewSpec() override {
    LaunchSpec spec =
        conformance::ReferenceBackendSpec("local-docker", server_instance_);
    spec.image = docker_testing::kTestImage;
    spec.num_gpus = 0;  // no GPUs on test machines
    spec.host_port = tests::FreeTcpPort();
    spec.deadline = absl::Now() + absl::Minutes(2);
    return spec;
  }

  Placement MissingPlacement() override {
    Placement placement;
    placement.job_id = docker_testing::RandomJobId();
    placement.instance_id = "tao-no-such-instance";
    placement.host_port = 8080;
    return placement;
  }

  void CleanUp() override {
    // The fake knows containers started through `brev exec` only; the
    // driver's go over plain ssh, so a failed test's are removed here.
    if (absl::StatusOr<std::unique_ptr<fakes::DockerContainers>> docker =
            fakes::DockerContainers::Connect(docker_host_);
        docker.ok()) {
      (*docker)->RemoveLabelled(kLabelServerInstance, server_instance_);
    }
    fake_.reset();
  }

 private:
  std::unique_ptr<Platform> Make(const std::string& brev) {
    absl::StatusOr<BrevPlatform::Options> options =
        BrevPlatform::OptionsFromEnvironment();
    if (!options.ok()) {
      ADD_FAILURE() << options.status();
      return nullptr;
    }
    options->cli.binary = brev;
    options->cli.keep_env = {"FAKE_BREV_DIR",
                             "FAKE_BREV_TOKEN",
                             "FAKE_BREV_BOOT_MS",
                             "FAKE_BREV_POLL_MS",
                             "FAKE_BREV_START_MS",
                             "FAKE_BREV_STOP_MS",
                             "FAKE_BREV_DELETE_MS",
                             "FAKE_BREV_SSH_WAIT_MS",
                             "FAKE_BREV_INSTANCE_DOCKER_HOST",
                             "FAKE_BREV_SSH_USER"};
    options->ssh_config = fake_->ssh_config();
    options->tunnel_dir = fake_->home();
    options->shm_size_bytes = int64_t{64} << 20;
    options->poll_min = absl::Milliseconds(100);
    options->poll_max = absl::Milliseconds(500);
    options->instance_wait = absl::Minutes(1);
    absl::StatusOr<std::unique_ptr<BrevPlatform>> platform =
        BrevPlatform::Create(*std::move(options));
    if (!platform.ok()) {
      ADD_FAILURE() << platform.status();
      return nullptr;
    }
    return *std::move(platform);
  }

  std::unique_ptr<FakeBrevHome> fake_;
  std::string docker_host_;
  std::string server_instance_;
};

std::unique_ptr<conformance::ConformanceEnv> MakeBrevEnv() {
  return std::make_unique<BrevConformanceEnv>();
}

using conformance::PlatformConformanceTest;
INSTANTIATE_TEST_SUITE_P(Brev, PlatformConformanceTest,
                         ::testing::Values(&MakeBrevEnv));

}  // namespace
}  // namespace tao::platforms::brev
