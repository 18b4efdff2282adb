// A fake Lepton workspace (tests/fakes/lepton) in this process whose
// deployments run on the real Docker engine, with timings short enough for
// tests, and the driver's settings for it: what the lepton driver's
// conformance, platform and end-to-end tests share.
#ifndef TAO_TESTS_PLATFORMS_LEPTON_LEPTON_TEST_WORKSPACE_H_
#define TAO_TESTS_PLATFORMS_LEPTON_LEPTON_TEST_WORKSPACE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "platforms/lepton/lepton_platform.h"
#include "tests/fakes/lepton/fake_lepton_server.h"

namespace tao::platforms::lepton::testing {

inline constexpr char kTestWorkspace[] = "taotestws";
inline constexpr char kTestToken[] = "lepton-workspace-token-for-tests";

class LeptonTestWorkspace {
 public:
  // Starts the fake on `docker_host` with `owner` labelling its
  // containers. `tweak` may change the fake's options first.
  static absl::StatusOr<std::unique_ptr<LeptonTestWorkspace>> Start(
      const std::string& docker_host, const std::string& owner,
      const std::function<void(fakes::lepton::FakeLeptonServer::Options&)>&
          tweak = nullptr);

  fakes::lepton::FakeLeptonServer& fake() { return *fake_; }

  // LEPTON_WORKSPACE_ID, LEPTON_WORKSPACE_TOKEN and LEPTON_WORKSPACE_URL
  // for this workspace (the server process's environment, too).
  std::map<std::string, std::string> Environment() const;

  // Driver options for this workspace: its environment plus `extra` (which
  // may override it), shape gpu.1xh100-sxm, a small /dev/shm and short
  // polls.
  LeptonPlatform::Options DriverOptions(
      const std::map<std::string, std::string>& extra = {}) const;
  std::unique_ptr<LeptonPlatform> MakePlatform(
      const std::map<std::string, std::string>& extra = {}) const;

 private:
  LeptonTestWorkspace() = default;
  std::unique_ptr<fakes::lepton::FakeLeptonServer> fake_;
};

}  // namespace tao::platforms::lepton::testing

#endif  // TAO_TESTS_PLATFORMS_LEPTON_LEPTON_TEST_WORKSPACE_H_
