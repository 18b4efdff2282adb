// What every end-to-end test of the lepton platform needs: the real
// tao-inferd pointed at a fake DGX Cloud Lepton workspace (in this process;
// its deployments run the reference-backend test image on the REAL Docker
// engine behind token-checking endpoints), a canary HF_TOKEN and a canary
// NGC_API_KEY that must reach the workspace's secret store and nothing
// else, and checks that nothing is left in the workspace. Skipped without
// a Docker engine unless TAO_REQUIRE_DOCKER=1.
#ifndef TAO_TESTS_INTEGRATION_LEPTON_LEPTON_E2E_FIXTURE_H_
#define TAO_TESTS_INTEGRATION_LEPTON_LEPTON_E2E_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/platform_e2e_fixture.h"
#include "tests/platforms/lepton/lepton_test_workspace.h"

namespace tao::integration::lepton {

inline constexpr char kPlatform[] = "lepton";
inline constexpr char kResourceShape[] = "gpu.1xh100-sxm";
// The pull secret the driver makes from NGC_API_KEY (its default name).
inline constexpr char kPullSecret[] = "tao-nvcr-io";

class LeptonE2eTest : public PlatformE2eTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  v1::StartRequest StartRequestFor(const std::string& network_arch) const;
  fakes::lepton::FakeLeptonServer& fake() { return workspace_->fake(); }

  // The deployment of `job_id` as the fake holds it (null when none).
  std::shared_ptr<fakes::lepton::DeploymentRecord> DeploymentOf(
      const std::string& job_id);
  // The names of the workspace's deployments and of its user secrets.
  std::vector<std::string> DeploymentNames();
  std::vector<std::string> SecretNames();
  // Test failures naming what the workspace still holds: any deployment,
  // user secret (image pull secrets are shared and stay by design) or
  // container on the engine.
  void ExpectWorkspaceEmpty();
  // Test failures when a canary is in a deployment's spec or in the
  // fake's request log.
  void ExpectCanariesOnlyInSecretStore();

  // DELETE /deployments/<name> with the workspace token, as `lep endpoint
  // remove` would; the HTTP status.
  int DeleteDeploymentBehindTheServersBack(const std::string& name);

  // Tags the test image as `reference` on the engine, so that the fake's
  // pull finds it there.
  absl::Status TagTestImageAs(const std::string& reference);
  void RemoveImageTag(const std::string& reference);

  std::string docker_host_;
  std::string owner_;
  const std::string ngc_key_ = Canary("ngc");
  std::unique_ptr<platforms::lepton::testing::LeptonTestWorkspace> workspace_;
};

}  // namespace tao::integration::lepton

#endif  // TAO_TESTS_INTEGRATION_LEPTON_LEPTON_E2E_FIXTURE_H_
