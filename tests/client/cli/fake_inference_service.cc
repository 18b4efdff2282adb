#include "tests/client/cli/fake_inference_service.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"

namespace tao::cli::testing {
namespace {

// Far beyond any deadline a test sets: a CLI without one gets an answer
// (and fails its test) instead of hanging it.
constexpr auto kNeverAnswersBound = std::chrono::seconds(30);

// Blocks until the client gives up, or kNeverAnswersBound.
void WaitUntilCancelled(grpc::ServerContext* context) {
  const auto give_up = std::chrono::steady_clock::now() + kNeverAnswersBound;
  while (!context->IsCancelled() &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

namespace v1 = tao::inference::v1;
using v1::ErrorDetails;
using v1::ErrorStatus;
using v1::GetRequest;
using v1::InferRequest;
using v1::InferResponse;
using v1::ListRequest;
using v1::ListResponse;
using v1::StartRequest;
using v1::StartResponse;
using v1::StopRequest;
using v1::StopResponse;
using v1::WaitReadyEvent;
using v1::WaitReadyRequest;

grpc::Status RichStatus(grpc::StatusCode code, const std::string& message,
                        const ErrorDetails& details) {
  ErrorStatus rich;
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  rich.add_details()->PackFrom(details);
  return grpc::Status(code, message, rich.SerializeAsString());
}

FakeInferenceService::Calls FakeInferenceService::calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_;
}

void FakeInferenceService::Saw(const char* rpc,
                               const grpc::ServerContext& context) {
  calls_.deadlines.emplace_back(rpc, context.deadline());
}

grpc::Status FakeInferenceService::Start(grpc::ServerContext* context,
                                         const StartRequest* request,
                                         StartResponse* response) {
  std::unique_lock<std::mutex> lock(mutex_);
  calls_.start.push_back(*request);
  Saw("Start", *context);
  if (start_never_answers) {
    lock.unlock();
    WaitUntilCancelled(context);
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "still pending");
  }
  if (!start_status.ok()) return start_status;
  *response = start_response;
  return grpc::Status::OK;
}

grpc::Status FakeInferenceService::Stop(grpc::ServerContext* context,
                                        const StopRequest* request,
                                        StopResponse* response) {
  std::lock_guard<std::mutex> lock(mutex_);
  calls_.stop.push_back(*request);
  Saw("Stop", *context);
  if (!stop_status.ok()) return stop_status;
  *response = stop_response;
  return grpc::Status::OK;
}

grpc::Status FakeInferenceService::List(grpc::ServerContext* context,
                                        const ListRequest* request,
                                        ListResponse* response) {
  std::unique_lock<std::mutex> lock(mutex_);
  calls_.list.push_back(*request);
  Saw("List", *context);
  if (list_never_answers) {
    lock.unlock();
    WaitUntilCancelled(context);
    lock.lock();
  }
  if (!list_status.ok()) return list_status;
  *response = list_response;
  if (!request->network_arch().empty()) {
    response->clear_services();
    for (const v1::Service& service : list_response.services()) {
      if (service.network_arch() == request->network_arch()) {
        *response->add_services() = service;
      }
    }
  }
  return grpc::Status::OK;
}

grpc::Status FakeInferenceService::Get(grpc::ServerContext* context,
                                       const GetRequest* request,
                                       v1::Service* response) {
  std::lock_guard<std::mutex> lock(mutex_);
  calls_.get.push_back(*request);
  Saw("Get", *context);
  if (!get_status.ok()) return get_status;
  for (const v1::Service& service : list_response.services()) {
    if (service.job_id() == request->job_id()) {
      *response = service;
      return grpc::Status::OK;
    }
  }
  ErrorDetails details;
  details.set_reason_code(v1::ERROR_REASON_NO_SERVICE);
  *details.mutable_candidates() = list_response.services();
  return RichStatus(grpc::StatusCode::NOT_FOUND,
                    absl::StrCat("no service with job_id ", request->job_id()),
                    details);
}

grpc::Status FakeInferenceService::WaitReady(
    grpc::ServerContext* context, const WaitReadyRequest* request,
    grpc::ServerWriter<WaitReadyEvent>* writer) {
  std::vector<WaitReadyEvent> events;
  grpc::Status status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    calls_.wait.push_back(*request);
    Saw("WaitReady", *context);
    events = wait_events;
    status = wait_status;
  }
  for (const WaitReadyEvent& event : events) writer->Write(event);
  return status;
}

grpc::Status FakeInferenceService::Infer(grpc::ServerContext* context,
                                         const InferRequest* request,
                                         InferResponse* response) {
  std::lock_guard<std::mutex> lock(mutex_);
  calls_.infer.push_back(*request);
  Saw("Infer", *context);
  if (!infer_status.ok()) return infer_status;
  *response = infer_response;
  return grpc::Status::OK;
}

grpc::Status FakeInferenceService::DescribeArchitectures(
    grpc::ServerContext* context, const v1::DescribeArchitecturesRequest*,
    v1::DescribeArchitecturesResponse* response) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++calls_.describe;
  Saw("DescribeArchitectures", *context);
  if (!describe_status.ok()) return describe_status;
  *response = describe_response;
  return grpc::Status::OK;
}

FakeServer::FakeServer() {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&service_);
  server_ = builder.BuildAndStart();
  address_ = absl::StrCat("127.0.0.1:", port);
}

FakeServer::~FakeServer() {
  if (server_ != nullptr) server_->Shutdown();
}

}  // namespace tao::cli::testing
