#include "tests/integration/platform_e2e_fixture.h"

#include <utility>

namespace tao::integration {

v1::StartRequest ReferenceStartRequest(const std::string& platform,
                                       const std::string& network_arch) {
  v1::StartRequest request;
  request.set_platform(platform);
  request.set_network_arch(network_arch);
  if (network_arch == "cosmos-predict2.5") {
    request.set_model_path("hf_model://nvidia/Cosmos-Predict2.5-2B");
    request.set_model_key("base-2b");
  } else {
    request.set_model_path("hf_model://nvidia/Cosmos-Reason1-7B");
  }
  return request;
}

void PlatformE2eTest::StartServer(std::map<std::string, std::string> env,
                                  const std::string& server_instance) {
  ServerConfig config;
  config.env = std::move(env);
  config.env["IMAGE_COSMOS_RL"] = kTestImage;
  config.env["IMAGE_COSMOS_PREDICT2_5"] = kTestImage;
  config.env["HF_TOKEN"] = hf_token_;
  config.env["TAO_SERVER_INSTANCE"] = server_instance;
  AdjustServerConfig(config);
  config_ = config;
  absl::Status started = server_.Start(config);
  ASSERT_TRUE(started.ok()) << started << "\n" << server_.Log();
  calls_.Reconnect();
  ready_ = true;
}

void PlatformE2eTest::RestartServer() {
  absl::Status restarted = server_.Restart(config_);
  ASSERT_TRUE(restarted.ok()) << restarted << "\n" << server_.Log();
  calls_.Reconnect();
}

}  // namespace tao::integration
