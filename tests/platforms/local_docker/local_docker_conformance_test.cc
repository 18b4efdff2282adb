// The platform conformance suite (tests/platforms/conformance) on the
// local-docker driver and a REAL Docker engine (scripts/docker-up), with
// the reference-backend test image. Skipped without an engine unless
// TAO_REQUIRE_DOCKER is set.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest-spi.h"
#include "platforms/forwarding_platform.h"
#include "platforms/local_docker/docker_api.h"
#include "platforms/local_docker/local_docker_platform.h"
#include "tests/platforms/conformance/platform_conformance.h"
#include "tests/platforms/local_docker/docker_test_env.h"
#include "tests/support/free_port.h"

namespace tao::platforms::local_docker {
namespace {

class DockerConformanceEnv : public conformance::ConformanceEnv {
 public:
  absl::Status SetUp() override {
    absl::StatusOr<std::string> host = testing::FindDockerHost();
    if (!host.ok()) return host.status();
    docker_host_ = *host;
    if (absl::Status image = testing::EnsureTestImage(docker_host_);
        !image.ok()) {
      return image;
    }
    network_ = testing::UniqueName("tao-conf-net");
    server_instance_ = testing::UniqueName("tao-conf-server");
    return absl::OkStatus();
  }
  bool Required() const override { return testing::DockerRequired(); }

  std::unique_ptr<Platform> MakePlatform() override {
    return Make(docker_host_);
  }
  std::unique_ptr<Platform> MakeUnreachablePlatform() override {
    return Make("unix:///nonexistent/tao-conformance/docker.sock");
  }

  LaunchSpec NewSpec() override {
    LaunchSpec spec =
        conformance::ReferenceBackendSpec("local-docker", server_instance_);
    jobs_.push_back(spec.job_id);
    spec.image = testing::kTestImage;
    spec.host_port = tests::FreeTcpPort();
    spec.deadline = absl::Now() + absl::Minutes(2);
    return spec;
  }

  Placement MissingPlacement() override {
    Placement placement;
    placement.job_id = testing::RandomJobId();
    placement.host_url = "http://localhost:1";
    return placement;
  }

  void CleanUp() override {
    absl::StatusOr<DockerEndpoint> endpoint = ParseDockerHost(docker_host_);
    if (!endpoint.ok()) return;
    DockerApi api(*endpoint);
    for (const std::string& job : jobs_) {
      DockerRequest remove;
      remove.method = "DELETE";
      remove.path = absl::StrCat("/containers/", job);
      remove.query = {{"force", "true"}, {"v", "true"}};
      (void)api.Call(remove);
    }
    DockerRequest remove_network;
    remove_network.method = "DELETE";
    remove_network.path = absl::StrCat("/networks/", network_);
    (void)api.Call(remove_network);
  }

 private:
  std::unique_ptr<Platform> Make(const std::string& docker_host) {
    absl::StatusOr<std::unique_ptr<LocalDockerPlatform>> platform =
        LocalDockerPlatform::Create(
            testing::TestOptions(docker_host, network_));
    if (!platform.ok()) {
      ADD_FAILURE() << platform.status();
      return nullptr;
    }
    return *std::move(platform);
  }

  std::string docker_host_;
  std::string network_;
  std::string server_instance_;
  std::vector<std::string> jobs_;
};

std::unique_ptr<conformance::ConformanceEnv> MakeDockerEnv() {
  return std::make_unique<DockerConformanceEnv>();
}

using conformance::PlatformConformanceTest;
INSTANTIATE_TEST_SUITE_P(LocalDocker, PlatformConformanceTest,
                         ::testing::Values(&MakeDockerEnv));

// The driver with deliberate breaks of the contract: the engine's 404 on
// DELETE passed on as NOT_FOUND (what a naive driver does), a refused
// launch that leaves its container behind, and a cancelled launch that
// ends OK instead of CANCELLED.
class BrokenDocker : public ForwardingPlatform {
 public:
  using ForwardingPlatform::ForwardingPlatform;
  absl::Status Terminate(const Placement& placement) override {
    absl::StatusOr<RuntimeState> state = Inspect(placement);
    if (state.ok() && state->phase == RuntimeState::Phase::kMissing) {
      return absl::NotFoundError("no such container");
    }
    return ForwardingPlatform::Terminate(placement);
  }
  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override {
    if (spec.cancelled) {
      // Finishes the launch, then removes the workload but says OK.
      LaunchSpec deaf = spec;
      deaf.cancelled = nullptr;
      absl::StatusOr<Placement> placement =
          ForwardingPlatform::Launch(deaf, progress);
      if (placement.ok() && spec.cancelled()) {
        ForwardingPlatform::Terminate(*placement).IgnoreError();
      }
      return placement;
    }
    if (spec.options.count("no_such_option") == 0) {
      return ForwardingPlatform::Launch(spec, progress);
    }
    LaunchSpec accepted = spec;
    accepted.options.clear();
    (void)ForwardingPlatform::Launch(accepted, progress);
    return absl::InvalidArgumentError("no_such_option: unknown option");
  }
};

class ConformanceCatchesBreaksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status found = env_.SetUp();
    if (!found.ok()) {
      if (env_.Required()) FAIL() << found;
      GTEST_SKIP() << found;
    }
    platform_ = env_.MakePlatform();
    ASSERT_NE(platform_, nullptr);
    broken_ = std::make_unique<BrokenDocker>(platform_.get());
  }
  void TearDown() override { env_.CleanUp(); }

  DockerConformanceEnv env_;
  std::unique_ptr<Platform> platform_;
  std::unique_ptr<Platform> broken_;
};

TEST_F(ConformanceCatchesBreaksTest, TerminateOfAMissingWorkloadNotOk) {
  EXPECT_NONFATAL_FAILURE(
      conformance::CheckMissingWorkload(*broken_, env_.MissingPlacement()),
      "Terminate of a missing workload must be OK");
}

TEST_F(ConformanceCatchesBreaksTest, RefusedLaunchLeavingAWorkload) {
  EXPECT_NONFATAL_FAILURE(
      conformance::CheckUnknownOptionRefused(*broken_, env_.NewSpec()),
      "a refused launch left a workload behind");
}

TEST_F(ConformanceCatchesBreaksTest, CancelledLaunchEndingOk) {
  EXPECT_NONFATAL_FAILURE(conformance::CheckCancelledLaunch(
                              *broken_, env_.NewSpec(), absl::Seconds(1)),
                          "a cancelled Launch must end CANCELLED");
}

}  // namespace
}  // namespace tao::platforms::local_docker
