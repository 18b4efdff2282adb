// Runs the scenarios of a working day with a canary value in HF_TOKEN (and
// WANDB_API_KEY) and looks for it everywhere the server and CLI put text:
// log lines, error messages, the registry file, responses and CLI output.
// The backend must still receive it, as an environment variable only.
#include <fstream>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/http_probe.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Canary(const std::string& prefix) {
  std::mt19937_64 random(std::random_device{}());
  return absl::StrCat(prefix, "-canary-", random());
}

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerConfig config;
    config.env["HF_TOKEN"] = hf_token_;
    config.env["WANDB_API_KEY"] = wandb_key_;
    ASSERT_TRUE(server_.Start(config).ok()) << server_.Log();
    stub_ = server_.NewStub();
  }

  // Everything seen by a client, appended as text.
  void Saw(const google::protobuf::Message& message) {
    seen_ += message.DebugString();
  }
  void Saw(const grpc::Status& status) {
    seen_ += status.error_message();
    seen_ += status.error_details();
  }
  void Saw(const RunOutput& output) {
    seen_ += output.out;
    seen_ += output.err;
  }

  void ExpectNoCanaryAnywhere() {
    for (const std::string& secret : {hf_token_, wandb_key_}) {
      EXPECT_THAT(seen_, Not(HasSubstr(secret))) << "in a response";
      EXPECT_THAT(server_.Log(), Not(HasSubstr(secret))) << "in the log";
      EXPECT_THAT(ReadFileOrEmpty(server_.state_path()), Not(HasSubstr(secret)))
          << "in the registry file";
    }
  }

  const std::string hf_token_ = Canary("hf");
  const std::string wandb_key_ = Canary("wandb");
  ServerHarness server_;
  std::unique_ptr<v1::InferenceService::Stub> stub_;
  std::string seen_;
};

TEST_F(SecretsTest, CanaryReachesTheBackendAndNothingElse) {
  // Start, wait, infer, list, get through the stub.
  auto started =
      StartService(*stub_, "cosmos-rl", "hf_model://nvidia/Cosmos-Reason1-7B");
  ASSERT_TRUE(started.ok()) << started.status();
  Saw(*started);
  const std::string job_id = started->service().job_id();
  const std::string url = started->service().host_url();
  WaitResult waited = WaitReady(*stub_, job_id);
  for (const auto& event : waited.events) Saw(event);
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_READY);

  // The backend has it in its environment, not on its command line.
  auto launch = GetJson(url + "/_reference/launch");
  ASSERT_TRUE(launch.ok()) << launch.status();
  EXPECT_EQ((*launch)["env"]["HF_TOKEN"], hf_token_);
  EXPECT_EQ((*launch)["env"]["WANDB_API_KEY"], wandb_key_);
  EXPECT_THAT((*launch)["argv"].dump(), Not(HasSubstr(hf_token_)));
  EXPECT_THAT((*launch)["argv"].dump(), Not(HasSubstr("HF_TOKEN")));

  v1::InferRequest request;
  request.set_job_id(job_id);
  v1::ChatMessage* message = request.add_messages();
  message->add_parts()->set_text("describe");
  v1::Media* image = message->add_parts()->mutable_image();
  image->set_data(TinyPng());
  image->set_mime_type("image/png");
  {
    grpc::ClientContext context;
    v1::InferResponse response;
    grpc::Status status = stub_->Infer(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    Saw(response);
  }
  // A backend error message quoting the token is redacted on the way out.
  ASSERT_TRUE(PostJson(url + "/_reference/control",
                       {{"chat_status", 500},
                        {"error_type", "internal_error"},
                        {"message", "auth failed for token " + hf_token_},
                        {"count", 1}})
                  .ok());
  {
    grpc::ClientContext context;
    v1::InferResponse response;
    grpc::Status status = stub_->Infer(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
    EXPECT_THAT(status.error_message(), HasSubstr("[REDACTED]"));
    Saw(status);
  }
  // A request carrying the value is refused without echoing it.
  {
    v1::InferRequest leaky = request;
    leaky.mutable_messages(0)->mutable_parts(0)->set_text("use " + hf_token_);
    grpc::ClientContext context;
    v1::InferResponse response;
    grpc::Status status = stub_->Infer(&context, leaky, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    Saw(status);
  }
  {
    v1::StartRequest leaky;
    leaky.set_platform("test");
    leaky.set_network_arch("cosmos-rl");
    leaky.set_model_path("/models/a");
    (*leaky.mutable_env())["NCCL_DEBUG"] = hf_token_;
    grpc::ClientContext context;
    v1::StartResponse response;
    grpc::Status status = stub_->Start(&context, leaky, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("HF_TOKEN"));
    Saw(status);
  }
  {
    grpc::ClientContext context;
    v1::ListRequest list;
    list.set_refresh(true);
    v1::ListResponse response;
    ASSERT_TRUE(stub_->List(&context, list, &response).ok());
    Saw(response);
  }

  // The same through the CLI, human and JSON output.
  Saw(server_.Cli({"list"}));
  Saw(server_.Cli({"list", "--json"}));
  Saw(server_.Cli({"get", job_id, "--json"}));
  Saw(server_.Cli({"wait", job_id}));
  const std::string png = server_.dir() + "/in.png";
  { std::ofstream(png, std::ios::binary) << TinyPng(); }
  RunOutput inferred = server_.Cli({"infer", "--job-id", job_id, "--text", "hi",
                                    "--image", png, "--accept-defaults"});
  EXPECT_EQ(inferred.exit_code, 0) << inferred.err;
  Saw(inferred);

  // cosmos-predict2.5 with a gated hf_model:// checkpoint.
  auto predict =
      StartService(*stub_, "cosmos-predict2.5",
                   "hf_model://nvidia/Cosmos-Predict2.5-2B", "base-2b");
  ASSERT_TRUE(predict.ok()) << predict.status();
  Saw(*predict);
  WaitResult predict_ready = WaitReady(*stub_, predict->service().job_id());
  for (const auto& event : predict_ready.events) Saw(event);
  ASSERT_EQ(predict_ready.final_state(), v1::SERVICE_STATE_READY);
  auto predict_launch =
      GetJson(predict->service().host_url() + "/_reference/launch");
  ASSERT_TRUE(predict_launch.ok());
  EXPECT_EQ((*predict_launch)["env"]["HF_TOKEN"], hf_token_);

  // A service that fails to load: its reason and log tail are redacted.
  auto broken =
      StartService(*stub_, "cosmos-rl",
                   "/models/x+load-ms-100+print-env+exit-during-load-2");
  ASSERT_TRUE(broken.ok()) << broken.status();
  WaitResult failed = WaitReady(*stub_, broken->service().job_id());
  for (const auto& event : failed.events) Saw(event);
  EXPECT_EQ(failed.final_state(), v1::SERVICE_STATE_FAILED);

  for (const std::string& id :
       {job_id, predict->service().job_id(), broken->service().job_id()}) {
    Saw(server_.Cli({"stop", id, "--yes"}));
  }
  ExpectNoCanaryAnywhere();
}

}  // namespace
}  // namespace tao::integration
