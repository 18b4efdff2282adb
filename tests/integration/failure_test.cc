// What users see when things go wrong: bad Start requests, models that fail
// to load, workloads that die, every backend error status, lost connections
// and deadlines.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/http_probe.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class FailureTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer({}); }

  void StartServer(ServerConfig config) {
    ASSERT_TRUE(server_.Start(std::move(config)).ok()) << server_.Log();
    stub_ = server_.NewStub();
  }

  grpc::Status Start(const v1::StartRequest& request,
                     v1::StartResponse* response) {
    grpc::ClientContext context;
    return stub_->Start(&context, request, response);
  }

  v1::StartRequest RlRequest(const std::string& model_path) {
    v1::StartRequest request;
    request.set_platform("test");
    request.set_network_arch("cosmos-rl");
    request.set_model_path(model_path);
    return request;
  }

  v1::InferRequest ImageRequest(const std::string& job_id) {
    v1::InferRequest request;
    request.set_job_id(job_id);
    v1::ChatMessage* message = request.add_messages();
    message->add_parts()->set_text("hello");
    v1::Media* image = message->add_parts()->mutable_image();
    image->set_data(TinyPng());
    image->set_mime_type("image/png");
    return request;
  }

  grpc::Status Infer(const v1::InferRequest& request,
                     v1::InferResponse* response, int deadline_seconds = 60) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(deadline_seconds));
    return stub_->Infer(&context, request, response);
  }

  ServerHarness server_;
  std::unique_ptr<v1::InferenceService::Stub> stub_;
};

struct BadStartCase {
  std::string name;
  std::function<void(v1::StartRequest&)> edit;
  grpc::StatusCode code;
  std::string field;  // named in the message
};

TEST_F(FailureTest, BadStartRequestsNameTheField) {
  const std::vector<BadStartCase> cases = {
      {"unknown arch", [](auto& r) { r.set_network_arch("tao-dataservices"); },
       grpc::StatusCode::INVALID_ARGUMENT, "network_arch"},
      {"unknown platform", [](auto& r) { r.set_platform("mainframe"); },
       grpc::StatusCode::INVALID_ARGUMENT, "platform"},
      {"cloud model", [](auto& r) { r.set_model_path("s3://bucket/model"); },
       grpc::StatusCode::INVALID_ARGUMENT, "model_path"},
      {"relative model", [](auto& r) { r.set_model_path("models/a"); },
       grpc::StatusCode::INVALID_ARGUMENT, "model_path"},
      {"no model", [](auto& r) { r.clear_model_path(); },
       grpc::StatusCode::INVALID_ARGUMENT, "model_path"},
      {"zero gpus", [](auto& r) { r.set_num_gpus(-1); },
       grpc::StatusCode::INVALID_ARGUMENT, "num_gpus"},
      {"secret in env", [](auto& r) { (*r.mutable_env())["HF_TOKEN"] = "x"; },
       grpc::StatusCode::INVALID_ARGUMENT, "HF_TOKEN"},
      {"forbidden env",
       [](auto& r) { (*r.mutable_env())["TAO_ADMIN_KEY"] = "x"; },
       grpc::StatusCode::INVALID_ARGUMENT, "TAO_ADMIN_KEY"},
      {"bad port", [](auto& r) { r.set_host_port(70000); },
       grpc::StatusCode::INVALID_ARGUMENT, "host_port"},
      {"predict without key",
       [](auto& r) {
         r.set_network_arch("cosmos-predict2.5");
         r.set_model_path("hf_model://nvidia/Cosmos-Predict2.5-2B");
       },
       grpc::StatusCode::INVALID_ARGUMENT, "model_key"},
  };
  for (const BadStartCase& c : cases) {
    SCOPED_TRACE(c.name);
    v1::StartRequest request = RlRequest("/models/a");
    c.edit(request);
    v1::StartResponse response;
    grpc::Status status = Start(request, &response);
    EXPECT_EQ(status.error_code(), c.code) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
  }
  nlohmann::json state = server_.ReadState();
  EXPECT_TRUE(state.is_discarded() || state.empty())
      << "a refused Start left an entry: " << state.dump();
}

TEST_F(FailureTest, ModelLoadFailureEndsWaitWithItsType) {
  for (const char* shape : {"", "+shape-status"}) {
    SCOPED_TRACE(shape);
    auto started = StartService(
        *stub_, "cosmos-rl",
        absl::StrCat("/models/broken+load-ms-200+fail-load", shape));
    ASSERT_TRUE(started.ok()) << started.status();
    WaitResult waited = WaitReady(*stub_, started->service().job_id());
    EXPECT_TRUE(waited.status.ok()) << waited.status.error_message();
    ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED);
    const std::string& reason = waited.events.back().reason();
    EXPECT_TRUE(absl::StrContains(reason, "model_load_error") ||
                absl::StrContains(reason, "model_load_failed"))
        << reason;

    v1::InferResponse response;
    grpc::Status status =
        Infer(ImageRequest(started->service().job_id()), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << status.error_message();
    ASSERT_TRUE(DetailsOf(status).has_value());
    EXPECT_EQ(DetailsOf(status)->reason_code(),
              v1::ERROR_REASON_MODEL_LOAD_FAILED);
    EXPECT_EQ(DetailsOf(status)->backend_http_status(), 503);
  }
}

TEST_F(FailureTest, WorkloadExitingDuringLoadReportsCodeAndLogTail) {
  auto started = StartService(*stub_, "cosmos-rl",
                              "/models/crashy+load-ms-300+exit-during-load-3");
  ASSERT_TRUE(started.ok()) << started.status();
  WaitResult waited = WaitReady(*stub_, started->service().job_id());
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED);
  const v1::WaitReadyEvent& last = waited.events.back();
  const std::string text = last.reason() + " " + last.message();
  EXPECT_THAT(text, HasSubstr("exit code 3"));
  // The log tail holds what the backend printed.
  EXPECT_THAT(text, HasSubstr("reference"));
}

TEST_F(FailureTest, WaitReadyHonoursItsTimeout) {
  auto started =
      StartService(*stub_, "cosmos-rl", "/models/slow+load-ms-600000");
  ASSERT_TRUE(started.ok()) << started.status();
  WaitResult waited =
      WaitReady(*stub_, started->service().job_id(), absl::Seconds(2));
  EXPECT_EQ(waited.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << waited.status.error_message();
  EXPECT_THAT(waited.status.error_message(), HasSubstr("2s"));
}

TEST_F(FailureTest, InferWhileLoadingWaitsOnlyWhenAsked) {
  auto started = StartService(*stub_, "cosmos-rl", "/models/slow+load-ms-4000");
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string job_id = started->service().job_id();
  // Once its HTTP server is up, the backend answers 202 while loading.
  for (int i = 0;
       i < 500 &&
       !GetJson(started->service().host_url() + "/api/v1/health/liveness").ok();
       ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  v1::InferResponse response;
  grpc::Status status = Infer(ImageRequest(job_id), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  ASSERT_TRUE(DetailsOf(status).has_value());
  EXPECT_EQ(DetailsOf(status)->reason_code(), v1::ERROR_REASON_NOT_READY);

  v1::InferRequest patient = ImageRequest(job_id);
  patient.set_wait_for_ready(true);
  status = Infer(patient, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(response.choices(), SizeIs(1));
}

struct BackendErrorCase {
  int http_status;
  std::string type;
  grpc::StatusCode code;
  v1::ErrorReason reason;
};

TEST_F(FailureTest, EveryBackendErrorMapsToItsCode) {
  auto started = StartService(*stub_, "cosmos-rl", "/models/a");
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string job_id = started->service().job_id();
  const std::string url = started->service().host_url();
  ASSERT_EQ(WaitReady(*stub_, job_id).final_state(), v1::SERVICE_STATE_READY);
  const std::vector<BackendErrorCase> cases = {
      {202, "model_loading", grpc::StatusCode::UNAVAILABLE,
       v1::ERROR_REASON_NOT_READY},
      {202, "server_initializing", grpc::StatusCode::UNAVAILABLE,
       v1::ERROR_REASON_NOT_READY},
      {503, "model_not_ready", grpc::StatusCode::UNAVAILABLE,
       v1::ERROR_REASON_NOT_READY},
      {503, "model_load_error", grpc::StatusCode::FAILED_PRECONDITION,
       v1::ERROR_REASON_MODEL_LOAD_FAILED},
      {503, "initialization_error", grpc::StatusCode::FAILED_PRECONDITION,
       v1::ERROR_REASON_MODEL_LOAD_FAILED},
      {400, "invalid_request", grpc::StatusCode::INVALID_ARGUMENT,
       v1::ERROR_REASON_BACKEND_ERROR},
      {500, "internal_error", grpc::StatusCode::INTERNAL,
       v1::ERROR_REASON_BACKEND_ERROR},
  };
  for (const BackendErrorCase& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.http_status, " ", c.type));
    ASSERT_TRUE(PostJson(url + "/_reference/control",
                         {{"chat_status", c.http_status},
                          {"error_type", c.type},
                          {"message", "scripted " + c.type},
                          {"count", 1}})
                    .ok());
    v1::InferResponse response;
    grpc::Status status = Infer(ImageRequest(job_id), &response);
    EXPECT_EQ(status.error_code(), c.code) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(c.type));
    auto details = DetailsOf(status);
    ASSERT_TRUE(details.has_value());
    EXPECT_EQ(details->reason_code(), c.reason);
    EXPECT_EQ(details->backend_error_type(), c.type);
    EXPECT_EQ(details->backend_http_status(), c.http_status);
  }
  // After the scripted errors, the backend answers normally again.
  v1::InferResponse response;
  EXPECT_TRUE(Infer(ImageRequest(job_id), &response).ok());
}

TEST_F(FailureTest, AcceptedRequestIsNeverResent) {
  auto started = StartService(*stub_, "cosmos-rl", "/models/a");
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string job_id = started->service().job_id();
  const std::string url = started->service().host_url();
  ASSERT_EQ(WaitReady(*stub_, job_id).final_state(), v1::SERVICE_STATE_READY);
  ASSERT_TRUE(PostJson(url + "/_reference/control",
                       {{"close_connection", true}, {"count", 1}})
                  .ok());
  v1::InferRequest request = ImageRequest(job_id);
  request.set_wait_for_ready(true);
  v1::InferResponse response;
  grpc::Status status = Infer(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("may have been processed"));
  auto requests = GetJson(url + "/_reference/requests");
  ASSERT_TRUE(requests.ok());
  EXPECT_EQ(requests->size(), 1u) << "the request was sent again";
}

TEST_F(FailureTest, InferHonoursTheCallersDeadline) {
  auto started = StartService(*stub_, "cosmos-rl", "/models/a");
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string job_id = started->service().job_id();
  ASSERT_EQ(WaitReady(*stub_, job_id).final_state(), v1::SERVICE_STATE_READY);
  ASSERT_TRUE(PostJson(started->service().host_url() + "/_reference/control",
                       {{"chat_delay_ms", 30000}, {"count", 1}})
                  .ok());
  v1::InferResponse response;
  grpc::Status status = Infer(ImageRequest(job_id), &response, 2);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_message();
}

TEST_F(FailureTest, StopOfUnknownJobIsNotFound) {
  grpc::ClientContext context;
  v1::StopRequest request;
  request.set_job_id("no-such-job");
  v1::StopResponse response;
  grpc::Status status = stub_->Stop(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("no-such-job"));
}

TEST_F(FailureTest, PortPoolExhaustionAndTakenPorts) {
  server_.Signal(SIGTERM);
  ASSERT_TRUE(server_.WaitExit(absl::Seconds(30)).ok());
  const int port = server_.first_service_port();
  ServerConfig config;
  config.flags = {absl::StrCat("--service-ports=", port, "-", port)};
  StartServer(config);
  v1::StartResponse response;
  ASSERT_TRUE(Start(RlRequest("/models/a"), &response).ok());
  EXPECT_EQ(response.service().host_port(), port);
  grpc::Status status = Start(RlRequest("/models/b"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("stop a service"));

  v1::StartRequest taken = RlRequest("/models/c");
  taken.set_host_port(port);
  status = Start(taken, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

}  // namespace
}  // namespace tao::integration
