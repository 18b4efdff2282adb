// What the platform end-to-end fixtures (tests/integration/<platform>/)
// share: the real tao-inferd they start with the test image for both
// architectures, a server instance and a canary HF_TOKEN of the test's own,
// and the calls made to it (E2eCalls, which keeps what clients were shown
// for the canary checks).
#ifndef TAO_TESTS_INTEGRATION_PLATFORM_E2E_FIXTURE_H_
#define TAO_TESTS_INTEGRATION_PLATFORM_E2E_FIXTURE_H_

#include <map>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/e2e_calls.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {

// The image scripts/make-test-image builds (the reference backend with the
// containers' entry points; a test backend, not a model).
inline constexpr char kTestImage[] = "tao-reference-backend:test";

// A Start of `network_arch` on `platform` with the walkthrough's model
// (cosmos-predict2.5 also with its model key, base-2b).
v1::StartRequest ReferenceStartRequest(const std::string& platform,
                                       const std::string& network_arch);

class PlatformE2eTest : public ::testing::Test {
 protected:
  // Lets a test change the server's flags or environment before it starts.
  virtual void AdjustServerConfig(ServerConfig& /*config*/) {}

  // Starts tao-inferd with `env` plus IMAGE_COSMOS_RL and
  // IMAGE_COSMOS_PREDICT2_5 (kTestImage), HF_TOKEN (hf_token_) and
  // TAO_SERVER_INSTANCE (`server_instance`), then AdjustServerConfig;
  // connects calls_ and sets ready_. A test failure with the server's log
  // when it does not start (call it from SetUp and check HasFatalFailure).
  void StartServer(std::map<std::string, std::string> env,
                   const std::string& server_instance);
  // Stops tao-inferd (SIGTERM) and starts it again with the same
  // configuration and registry file; workloads keep running.
  void RestartServer();

  bool ready_ = false;  // SetUp got as far as a running server
  const std::string hf_token_ = Canary("hf");
  ServerConfig config_;  // what the server was started with
  ServerHarness server_;
  E2eCalls calls_{&server_};
};

}  // namespace tao::integration

#endif  // TAO_TESTS_INTEGRATION_PLATFORM_E2E_FIXTURE_H_
