// The platform conformance suite (tests/platforms/conformance) on the lepton
// driver and the fake Lepton workspace (tests/fakes/lepton), whose
// deployments run on the REAL Docker engine (scripts/docker-up) from the
// reference-backend test image behind endpoints that check each
// deployment's API token. Skipped without an engine unless
// TAO_REQUIRE_DOCKER is set.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platforms/lepton/deployment_names.h"
#include "platforms/lepton/lepton_platform.h"
#include "tests/platforms/conformance/platform_conformance.h"
#include "tests/platforms/lepton/lepton_test_workspace.h"
#include "tests/platforms/local_docker/docker_test_env.h"
#include "tests/support/free_port.h"

namespace tao::platforms::lepton {
namespace {

namespace docker_testing = local_docker::testing;

class LeptonConformanceEnv : public conformance::ConformanceEnv {
 public:
  absl::Status SetUp() override {
    absl::StatusOr<std::string> host = docker_testing::FindDockerHost();
    if (!host.ok()) return host.status();
    if (absl::Status image = docker_testing::EnsureTestImage(*host);
        !image.ok()) {
      return image;
    }
    owner_ = docker_testing::UniqueName("tao-lepton-conformance");
    absl::StatusOr<std::unique_ptr<testing::LeptonTestWorkspace>> workspace =
        testing::LeptonTestWorkspace::Start(*host, owner_);
    if (!workspace.ok()) return workspace.status();
    workspace_ = *std::move(workspace);
    return absl::OkStatus();
  }
  bool Required() const override { return docker_testing::DockerRequired(); }

  std::unique_ptr<Platform> MakePlatform() override {
    return workspace_->MakePlatform();
  }
  std::unique_ptr<Platform> MakeUnreachablePlatform() override {
    // The same workspace, on a port where connections are refused.
    return workspace_->MakePlatform(
        {{kEnvWorkspaceUrl,
          absl::StrCat("http://127.0.0.1:", closed_port_.port(),
                       "/api/v2/workspaces/", testing::kTestWorkspace)}});
  }

  LaunchSpec NewSpec() override {
    LaunchSpec spec = conformance::ReferenceBackendSpec("lepton", owner_);
    spec.image = docker_testing::kTestImage;
    spec.deadline = absl::Now() + absl::Minutes(2);
    return spec;
  }

  Placement MissingPlacement() override {
    Placement placement;
    placement.job_id = docker_testing::RandomJobId();
    placement.platform_job_id = *DeploymentName(placement.job_id);
    placement.host_url = "http://127.0.0.1:9";
    return placement;
  }

  void CleanUp() override {
    // The fake removes its deployments' containers when it stops.
    workspace_.reset();
  }

 private:
  std::string owner_;
  tests::LoopbackSocket closed_port_;
  std::unique_ptr<testing::LeptonTestWorkspace> workspace_;
};

std::unique_ptr<conformance::ConformanceEnv> MakeLeptonEnv() {
  return std::make_unique<LeptonConformanceEnv>();
}

using conformance::PlatformConformanceTest;
INSTANTIATE_TEST_SUITE_P(Lepton, PlatformConformanceTest,
                         ::testing::Values(&MakeLeptonEnv));

}  // namespace
}  // namespace tao::platforms::lepton
