#include "tests/integration/docker/docker_e2e_fixture.h"

#include <chrono>
#include <csignal>
#include <random>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "tests/platforms/local_docker/docker_test_env.h"

namespace tao::integration::docker {
namespace {

namespace docker_env = ::tao::platforms::local_docker::testing;
using ::testing::HasSubstr;
using ::testing::Not;

// The label the driver puts on every container it starts (its README).
constexpr char kServerInstanceLabel[] = "ai.tao.inference.server_instance";
constexpr int kCallSeconds = 120;

std::chrono::system_clock::time_point CallDeadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(kCallSeconds);
}

}  // namespace

std::string Canary(const std::string& prefix) {
  std::mt19937_64 random(std::random_device{}());
  return absl::StrCat(prefix, "-canary-", random());
}

void DockerE2eTest::SetUp() {
  TAO_REQUIRE_DOCKER_ENGINE(docker_host_);
  absl::Status image = docker_env::EnsureTestImage(docker_host_);
  ASSERT_TRUE(image.ok()) << image;
  engine_ = std::make_unique<EngineProbe>(docker_host_);
  network_ = docker_env::UniqueName("tao-e2e-net");
  server_instance_ = docker_env::UniqueName("tao-e2e-server");

  ServerConfig config;
  config.env = {
      {"DOCKER_HOST", docker_host_},
      {"DOCKER_NETWORK", network_},
      {"TAO_SERVER_INSTANCE", server_instance_},
      {"TAO_DOCKER_GPUS", "none"},  // no GPUs on test machines
      {"TAO_DOCKER_STOP_GRACE_SECONDS", "1"},
      {"TAO_DOCKER_SHM_SIZE", "64m"},
      {"IMAGE_COSMOS_RL", kTestImage},
      {"IMAGE_COSMOS_PREDICT2_5", kTestImage},
      {"HF_TOKEN", hf_token_},
  };
  AdjustServerConfig(config);
  config_ = config;
  absl::Status started = server_.Start(config);
  ASSERT_TRUE(started.ok()) << started << "\n" << server_.Log();
  stub_ = server_.NewStub();
  ready_ = true;
}

void DockerE2eTest::RestartServer() {
  server_.Signal(SIGTERM);
  ASSERT_TRUE(server_.WaitExit(absl::Seconds(30)).ok()) << server_.Log();
  absl::Status started = server_.Start(config_);
  ASSERT_TRUE(started.ok()) << started << "\n" << server_.Log();
  stub_ = server_.NewStub();
}

void DockerE2eTest::TearDown() {
  if (engine_ == nullptr) return;  // skipped: nothing was made
  engine_->RemoveContainersLabelled(
      absl::StrCat(kServerInstanceLabel, "=", server_instance_));
  engine_->RemoveNetwork(network_);
  if (!ready_) return;
  EXPECT_THAT(seen_, Not(HasSubstr(hf_token_)))
      << "a client was shown the HF_TOKEN value";
  EXPECT_THAT(server_.Log(), Not(HasSubstr(hf_token_)))
      << "the server log holds the HF_TOKEN value";
  EXPECT_THAT(ReadFileOrEmpty(server_.state_path()), Not(HasSubstr(hf_token_)))
      << "the registry file holds the HF_TOKEN value";
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
  grpc::ClientContext context;
  context.set_deadline(CallDeadline());
  grpc::Status status = stub_->Start(&context, request, response);
  Saw(status);
  Saw(*response);
  return status;
}

v1::Service DockerE2eTest::StartReady(const std::string& network_arch,
                                      const std::string& model_path,
                                      const std::string& model_key) {
  v1::StartResponse response;
  grpc::Status status =
      Start(StartRequestFor(network_arch, model_path, model_key), &response);
  EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  if (!status.ok()) return v1::Service();
  WaitResult waited = Wait(response.service().job_id());
  EXPECT_TRUE(waited.status.ok()) << waited.status.error_message();
  EXPECT_EQ(waited.final_state(), v1::SERVICE_STATE_READY)
      << (waited.events.empty() ? "" : waited.events.back().DebugString());
  return response.service();
}

WaitResult DockerE2eTest::Wait(const std::string& job_id) {
  WaitResult waited = WaitReady(*stub_, job_id, absl::Seconds(90));
  for (const v1::WaitReadyEvent& event : waited.events) Saw(event);
  Saw(waited.status);
  return waited;
}

grpc::Status DockerE2eTest::Infer(const v1::InferRequest& request,
                                  v1::InferResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(CallDeadline());
  grpc::Status status = stub_->Infer(&context, request, response);
  Saw(status);
  Saw(*response);
  return status;
}

grpc::Status DockerE2eTest::Stop(const std::string& job_id,
                                 v1::StopResponse* response) {
  v1::StopRequest request;
  request.set_job_id(job_id);
  grpc::ClientContext context;
  context.set_deadline(CallDeadline());
  grpc::Status status = stub_->Stop(&context, request, response);
  Saw(status);
  Saw(*response);
  return status;
}

RunOutput DockerE2eTest::Cli(const std::vector<std::string>& args) {
  RunOutput output = server_.Cli(args);
  Saw(output);
  return output;
}

v1::InferRequest DockerE2eTest::ChatRequest(const std::string& text,
                                            bool with_image) {
  v1::InferRequest request;
  v1::ChatMessage* message = request.add_messages();
  message->set_role(v1::ROLE_USER);
  message->add_parts()->set_text(text);
  if (with_image) {
    v1::Media* image = message->add_parts()->mutable_image();
    image->set_data(TinyPng());
    image->set_mime_type("image/png");
  }
  return request;
}

void DockerE2eTest::Saw(const google::protobuf::Message& message) {
  seen_ += message.DebugString();
}

void DockerE2eTest::Saw(const grpc::Status& status) {
  seen_ += status.error_message();
  seen_ += status.error_details();
}

void DockerE2eTest::Saw(const RunOutput& output) {
  seen_ += output.out;
  seen_ += output.err;
}

nlohmann::ordered_json DockerE2eTest::ReadRegistryFile() const {
  return nlohmann::ordered_json::parse(ReadFileOrEmpty(server_.state_path()),
                                       nullptr, /*allow_exceptions=*/false);
}

}  // namespace tao::integration::docker
