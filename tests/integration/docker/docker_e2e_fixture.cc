#include "tests/integration/docker/docker_e2e_fixture.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/platforms/local_docker/docker_test_env.h"

namespace tao::integration::docker {
namespace {

namespace docker_env = ::tao::platforms::local_docker::testing;
// The label the driver puts on every container it starts (its README).
constexpr char kServerInstanceLabel[] = "ai.tao.inference.server_instance";

}  // namespace

void DockerE2eTest::SetUp() {
  TAO_REQUIRE_DOCKER_ENGINE(docker_host_);
  absl::Status image = docker_env::EnsureTestImage(docker_host_);
  ASSERT_TRUE(image.ok()) << image;
  engine_ = std::make_unique<EngineProbe>(docker_host_);
  network_ = docker_env::UniqueName("tao-e2e-net");
  server_instance_ = docker_env::UniqueName("tao-e2e-server");

  StartServer(
      {
          {"DOCKER_HOST", docker_host_},
          {"DOCKER_NETWORK", network_},
          {"TAO_DOCKER_GPUS", "none"},  // no GPUs on test machines
          {"TAO_DOCKER_STOP_GRACE_SECONDS", "1"},
          {"TAO_DOCKER_SHM_SIZE", "64m"},
      },
      server_instance_);
}

void DockerE2eTest::TearDown() {
  if (engine_ == nullptr) return;  // skipped: nothing was made
  engine_->RemoveContainersLabelled(
      absl::StrCat(kServerInstanceLabel, "=", server_instance_));
  engine_->RemoveNetwork(network_);
  if (!ready_) return;
  calls_.ExpectNowhere(hf_token_, "HF_TOKEN value");
}

v1::StartRequest DockerE2eTest::StartRequestFor(
    const std::string& network_arch, const std::string& model_path,
    const std::string& model_key) const {
  v1::StartRequest request;
  request.set_platform(kPlatform);
  request.set_network_arch(network_arch);
  request.set_model_path(model_path);
  if (!model_key.empty()) request.set_model_key(model_key);
  return request;
}

grpc::Status DockerE2eTest::Start(const v1::StartRequest& request,
                                  v1::StartResponse* response) {
  return calls_.Start(request, response);
}

v1::Service DockerE2eTest::StartReady(const std::string& network_arch,
                                      const std::string& model_path,
                                      const std::string& model_key) {
  return calls_.StartReady(
      StartRequestFor(network_arch, model_path, model_key));
}

WaitResult DockerE2eTest::Wait(const std::string& job_id) {
  return calls_.Wait(job_id);
}

grpc::Status DockerE2eTest::Infer(const v1::InferRequest& request,
                                  v1::InferResponse* response) {
  return calls_.Infer(request, response);
}

grpc::Status DockerE2eTest::Stop(const std::string& job_id,
                                 v1::StopResponse* response) {
  return calls_.Stop(job_id, response);
}

RunOutput DockerE2eTest::Cli(const std::vector<std::string>& args) {
  return calls_.Cli(args);
}

nlohmann::ordered_json DockerE2eTest::ReadRegistryFile() const {
  return nlohmann::ordered_json::parse(ReadFileOrEmpty(server_.state_path()),
                                       nullptr, /*allow_exceptions=*/false);
}

}  // namespace tao::integration::docker
