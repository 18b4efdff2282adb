// What every end-to-end test of local-docker needs: a reachable Docker
// engine (skip without one, fail under TAO_REQUIRE_DOCKER=1), the
// reference-backend test image, a tao-inferd configured for local-docker on
// a network and server-instance label of the test's own, a canary HF_TOKEN
// that must reach containers and nothing else, and removal of every
// container and network the test made, also when it fails.
#ifndef TAO_TESTS_INTEGRATION_DOCKER_DOCKER_E2E_FIXTURE_H_
#define TAO_TESTS_INTEGRATION_DOCKER_DOCKER_E2E_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/docker/engine_probe.h"
#include "tests/integration/platform_e2e_fixture.h"

namespace tao::integration::docker {

inline constexpr char kPlatform[] = "local-docker";

class DockerE2eTest : public PlatformE2eTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  v1::StartRequest StartRequestFor(const std::string& network_arch,
                                   const std::string& model_path,
                                   const std::string& model_key = "") const;
  // Start through the stub; what the caller saw is recorded.
  grpc::Status Start(const v1::StartRequest& request,
                     v1::StartResponse* response);
  // Start, then WaitReady until READY (a test failure otherwise); the
  // service.
  v1::Service StartReady(const std::string& network_arch,
                         const std::string& model_path,
                         const std::string& model_key = "");
  WaitResult Wait(const std::string& job_id);
  grpc::Status Infer(const v1::InferRequest& request,
                     v1::InferResponse* response);
  grpc::Status Stop(const std::string& job_id, v1::StopResponse* response);
  // tao-infer against this server; its output is recorded.
  RunOutput Cli(const std::vector<std::string>& args);

  // A user message with `text` and, when `with_image`, a tiny PNG.
  static v1::InferRequest ChatRequest(const std::string& text,
                                      bool with_image) {
    return E2eCalls::ChatRequest(text, with_image);
  }

  // Whatever a client was shown, for the canary check.
  void Saw(const google::protobuf::Message& message) { calls_.Saw(message); }
  void Saw(const grpc::Status& status) { calls_.Saw(status); }
  void Saw(const RunOutput& output) { calls_.Saw(output); }

  // The registry file as written (key order kept).
  nlohmann::ordered_json ReadRegistryFile() const;

  std::string docker_host_;
  std::string network_;
  std::string server_instance_;
  std::unique_ptr<EngineProbe> engine_;
};

}  // namespace tao::integration::docker

#endif  // TAO_TESTS_INTEGRATION_DOCKER_DOCKER_E2E_FIXTURE_H_
