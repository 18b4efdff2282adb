// What every end-to-end test of the brev platform needs: the real
// tao-inferd with the fake brev CLI (tests/fakes/brev) as its `brev`, whose
// instances are the test sshd in front of the REAL Docker engine; a canary
// HF_TOKEN that must reach the containers' environment and nothing else;
// and checks that no container, tunnel or created instance is left.
// Skipped without the engine or the sshd unless TAO_REQUIRE_DOCKER=1 /
// TAO_REQUIRE_SLURM are set.
#ifndef TAO_TESTS_INTEGRATION_BREV_BREV_E2E_FIXTURE_H_
#define TAO_TESTS_INTEGRATION_BREV_BREV_E2E_FIXTURE_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/brev/fake_brev_home.h"
#include "tests/integration/platform_e2e_fixture.h"

namespace tao::integration::brev {

inline constexpr char kPlatform[] = "brev";

class BrevE2eTest : public PlatformE2eTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The server's default pool, 8080-8199: ports on the instances are on
  // each instance's own loopback (the fake's instance_machine.h), not in
  // this host's port space, so parallel tests cannot collide.
  void AdjustServerConfig(ServerConfig& config) override;
  // How the fake starts (logged in by default).
  virtual fakes::brev::FakeBrevHome::Options FakeOptions() const { return {}; }
  // The server's environment for the fake: its HOME and PATH, the FAKE_BREV_*
  // knobs kept through TAO_BREV_KEEP_ENV, its ssh config, no GPUs.
  std::map<std::string, std::string> ServerEnvironment() const;

  // A StartRequest for `network_arch` on `instance` (empty: a new one).
  v1::StartRequest StartRequestFor(const std::string& network_arch,
                                   const std::string& instance = "") const;
  // `tao-infer start ... --wait` of the same; its output.
  RunOutput CliStart(const std::string& network_arch,
                     const std::string& instance = "");

  // The names of the fake's instances that are not being deleted.
  std::vector<std::string> LiveInstances() const;
  // Containers on the engine labelled with this test's server instance.
  std::vector<std::string> OurContainers() const;
  // Waits (a few seconds) until `name` is gone from the fake's instances.
  bool InstanceGoneSoon(const std::string& name) const;
  // Test failures for any container of this server left on the engine.
  void ExpectNoContainerLeft() const;
  // Test failures when the HF_TOKEN canary is in any file the fake or the
  // tunnels wrote (calls.jsonl, events.jsonl, state, ssh logs) or in an
  // env file left in /tmp.
  void ExpectCanaryOnlyInContainers() const;

  std::string docker_host_;
  std::string owner_;
  std::unique_ptr<fakes::brev::FakeBrevHome> fake_;
};

// Whether process `pid` still runs (a zombie does not).
bool ProcessRuns(pid_t pid);

}  // namespace tao::integration::brev

#endif  // TAO_TESTS_INTEGRATION_BREV_BREV_E2E_FIXTURE_H_
