#include "server/service/inference_service_impl.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platforms/common/log.h"
#include "server/service/architecture_description.h"
#include "server/service/grpc_status.h"

namespace tao::service {
namespace {

namespace v1 = ::tao::inference::v1;

// The caller's deadline, brought forward by a margin (a tenth of the time
// left, at most 1 s) so that our own DEADLINE_EXCEEDED, which says what we
// were waiting for (e.g. a job pending with its scheduler reason), reaches
// the client before gRPC's bare one.
absl::Time DeadlineOf(const grpc::ServerContext& context) {
  std::chrono::system_clock::time_point deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();
  }
  const absl::Time end = absl::FromChrono(deadline);
  const absl::Duration left = end - absl::Now();
  return end - std::min(absl::Seconds(1), left / 10);
}

// Logs "<rpc> <subject>: <outcome> (<ms> ms)" and converts the status. The
// messages logged are the ones sent to the client: already redacted.
grpc::Status Finish(const platforms::Redactor& redactor, absl::string_view rpc,
                    absl::string_view subject, absl::Time started,
                    absl::Status status) {
  // A last guard: no secret value leaves in a message or a log line.
  if (!status.ok()) {
    absl::Status redacted(status.code(), redactor.Redact(status.message()));
    status.ForEachPayload([&](absl::string_view url, const absl::Cord& data) {
      redacted.SetPayload(url, data);
    });
    status = redacted;
  }
  std::string line =
      absl::StrCat(rpc, subject.empty() ? "" : " ", subject, ": ",
                   status.ok() ? "OK" : absl::StatusCodeToString(status.code()),
                   status.ok() ? "" : absl::StrCat(" ", status.message()), " (",
                   absl::ToInt64Milliseconds(absl::Now() - started), " ms)");
  status.ok() ? platforms::LogInfo(line) : platforms::LogWarning(line);
  return ToGrpcStatus(status);
}

std::string TargetOf(const v1::InferRequest& request) {
  switch (request.target_case()) {
    case v1::InferRequest::kJobId:
      return absl::StrCat("job_id=", request.job_id());
    case v1::InferRequest::kNetworkArch:
      return absl::StrCat("network_arch=", request.network_arch());
    default:
      return "implicit target";
  }
}

}  // namespace

grpc::Status InferenceServiceImpl::Start(grpc::ServerContext* context,
                                         const v1::StartRequest* request,
                                         v1::StartResponse* response) {
  InFlightCalls::Scope call(in_flight_);
  const absl::Time started = absl::Now();
  absl::StatusOr<v1::StartResponse> result =
      manager_->Start(*request, DeadlineOf(*context), nullptr);
  std::string subject =
      absl::StrCat(request->network_arch(), " on ", request->platform());
  if (result.ok()) {
    absl::StrAppend(&subject, " -> ", result->service().job_id(), " at ",
                    result->service().host_url(),
                    result->replayed() ? " (replayed)" : "");
    *response = *std::move(result);
  }
  return Finish(manager_->redactor(), "Start", subject, started,
                result.status());
}

grpc::Status InferenceServiceImpl::Stop(grpc::ServerContext* /*context*/,
                                        const v1::StopRequest* request,
                                        v1::StopResponse* response) {
  InFlightCalls::Scope call(in_flight_);
  const absl::Time started = absl::Now();
  absl::StatusOr<v1::StopResponse> result = manager_->Stop(*request);
  if (result.ok()) *response = *std::move(result);
  return Finish(manager_->redactor(), "Stop", request->job_id(), started,
                result.status());
}

grpc::Status InferenceServiceImpl::List(grpc::ServerContext* /*context*/,
                                        const v1::ListRequest* request,
                                        v1::ListResponse* response) {
  InFlightCalls::Scope call(in_flight_);
  const absl::Time started = absl::Now();
  absl::StatusOr<v1::ListResponse> result = manager_->List(*request);
  std::string subject;
  if (result.ok()) {
    subject = absl::StrCat(result->services_size(), " service(s)");
    *response = *std::move(result);
  }
  return Finish(manager_->redactor(), "List", subject, started,
                result.status());
}

grpc::Status InferenceServiceImpl::Get(grpc::ServerContext* /*context*/,
                                       const v1::GetRequest* request,
                                       v1::Service* response) {
  InFlightCalls::Scope call(in_flight_);
  const absl::Time started = absl::Now();
  absl::StatusOr<v1::Service> result = manager_->Get(*request);
  if (result.ok()) *response = *std::move(result);
  return Finish(manager_->redactor(), "Get", request->job_id(), started,
                result.status());
}

grpc::Status InferenceServiceImpl::WaitReady(
    grpc::ServerContext* context, const v1::WaitReadyRequest* request,
    grpc::ServerWriter<v1::WaitReadyEvent>* writer) {
  InFlightCalls::Scope call(in_flight_);
  const absl::Time started = absl::Now();
  v1::WaitReadyEvent last;
  absl::Status status = manager_->WaitReady(
      *request, DeadlineOf(*context),
      [context] { return context->IsCancelled(); },
      [&](const v1::WaitReadyEvent& event) {
        last = event;
        return writer->Write(event);
      });
  std::string subject = request->job_id();
  if (status.ok()) {
    absl::StrAppend(&subject, " -> ", v1::ServiceState_Name(last.state()), " ",
                    last.reason());
  }
  return Finish(manager_->redactor(), "WaitReady", subject, started, status);
}

grpc::Status InferenceServiceImpl::Infer(grpc::ServerContext* context,
                                         const v1::InferRequest* request,
                                         v1::InferResponse* response) {
  InFlightCalls::Scope call(in_flight_);
  const absl::Time started = absl::Now();
  absl::StatusOr<v1::InferResponse> result =
      manager_->Infer(*request, DeadlineOf(*context),
                      [context] { return context->IsCancelled(); });
  std::string subject = TargetOf(*request);
  if (result.ok()) {
    absl::StrAppend(&subject, " -> ", result->job_id(), " (",
                    result->network_arch(), ")");
    *response = *std::move(result);
  }
  return Finish(manager_->redactor(), "Infer", subject, started,
                result.status());
}

grpc::Status InferenceServiceImpl::DescribeArchitectures(
    grpc::ServerContext* /*context*/,
    const v1::DescribeArchitecturesRequest* /*request*/,
    v1::DescribeArchitecturesResponse* response) {
  InFlightCalls::Scope call(in_flight_);
  const absl::Time started = absl::Now();
  *response = service::DescribeArchitectures(manager_->catalog());
  return Finish(
      manager_->redactor(), "DescribeArchitectures",
      absl::StrCat(response->architectures_size(), " architecture(s)"), started,
      absl::OkStatus());
}

}  // namespace tao::service
