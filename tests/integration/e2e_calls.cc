#include "tests/integration/e2e_calls.h"

#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

void SetDeadline(grpc::ClientContext& context,
                 absl::Duration deadline = absl::Seconds(120)) {
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(deadline));
}

}  // namespace

std::string Canary(const std::string& prefix) {
  std::mt19937_64 random(std::random_device{}());
  return absl::StrCat(prefix, "-canary-", random());
}

v1::InferenceService::Stub& E2eCalls::stub() {
  if (stub_ == nullptr) Reconnect();
  return *stub_;
}

grpc::Status E2eCalls::Start(const v1::StartRequest& request,
                             v1::StartResponse* response,
                             absl::Duration deadline) {
  grpc::ClientContext context;
  SetDeadline(context, deadline);
  grpc::Status status = stub().Start(&context, request, response);
  Saw(status);
  Saw(*response);
  return status;
}

v1::Service E2eCalls::StartReady(const v1::StartRequest& request,
                                 absl::Duration patience) {
  v1::StartResponse response;
  grpc::Status status = Start(request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << server_->Log();
  if (!status.ok()) return v1::Service();
  WaitResult waited = Wait(response.service().job_id(), patience);
  EXPECT_TRUE(waited.status.ok()) << waited.status.error_message();
  EXPECT_EQ(waited.final_state(), v1::SERVICE_STATE_READY)
      << (waited.events.empty() ? "" : waited.events.back().DebugString())
      << "\n"
      << server_->Log();
  return response.service();
}

WaitResult E2eCalls::Wait(const std::string& job_id, absl::Duration patience) {
  WaitResult waited = WaitReady(stub(), job_id, patience);
  for (const v1::WaitReadyEvent& event : waited.events) Saw(event);
  Saw(waited.status);
  return waited;
}

grpc::Status E2eCalls::Infer(const v1::InferRequest& request,
                             v1::InferResponse* response) {
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::Status status = stub().Infer(&context, request, response);
  Saw(status);
  Saw(*response);
  return status;
}

grpc::Status E2eCalls::Stop(const std::string& job_id,
                            v1::StopResponse* response) {
  v1::StopRequest request;
  request.set_job_id(job_id);
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::Status status = stub().Stop(&context, request, response);
  Saw(status);
  Saw(*response);
  return status;
}

grpc::Status E2eCalls::List(v1::ListResponse* response,
                            const v1::ListRequest& request) {
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::Status status = stub().List(&context, request, response);
  Saw(status);
  Saw(*response);
  return status;
}

RunOutput E2eCalls::Cli(const std::vector<std::string>& args) {
  RunOutput output = server_->Cli(args);
  Saw(output);
  return output;
}

v1::InferRequest E2eCalls::ChatRequest(const std::string& text,
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

void E2eCalls::Saw(const google::protobuf::Message& message) {
  seen_ += message.DebugString();
}

void E2eCalls::Saw(const grpc::Status& status) {
  seen_ += status.error_message();
  seen_ += status.error_details();
}

void E2eCalls::Saw(const RunOutput& output) {
  seen_ += output.out;
  seen_ += output.err;
}

void E2eCalls::ExpectNowhere(const std::string& secret,
                             const std::string& what) const {
  EXPECT_THAT(seen_, Not(HasSubstr(secret)))
      << "a client was shown the " << what;
  EXPECT_THAT(server_->Log(), Not(HasSubstr(secret)))
      << "the server log holds the " << what;
  EXPECT_THAT(ReadFileOrEmpty(server_->state_path()), Not(HasSubstr(secret)))
      << "the registry file holds the " << what;
}

}  // namespace tao::integration
