#include "client/cli/infer_target.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "client/cli/choice_prompt.h"

namespace tao::cli {
namespace {

using tao::inference::v1::ErrorDetails;
using tao::inference::v1::ErrorReason;
using tao::inference::v1::ListResponse;

// The refusal the server's router would send for the same registry.
CliError TargetError(grpc::StatusCode code, ErrorReason reason,
                     std::string message, const ListResponse& candidates) {
  CliError error;
  error.code = code;
  error.message = std::move(message);
  ErrorDetails details;
  details.set_reason_code(reason);
  *details.mutable_candidates() = candidates.services();
  error.details = details;
  return error;
}

}  // namespace

std::optional<CliError> ResolveInferTarget(const CliContext& context,
                                           const InferArgs& args,
                                           InferTarget* target) {
  const absl::Duration timeout =
      TimeoutOr(args.timeout_seconds, kDefaultCallTimeout);
  if (!args.job_id.empty()) {
    tao::inference::v1::GetRequest request;
    request.set_job_id(args.job_id);
    tao::inference::v1::Service service;
    grpc::Status status =
        context.stub.Get(context.NewCall(timeout).get(), request, &service);
    if (!status.ok()) return context.RpcError(status, timeout);
    target->job_id = service.job_id().empty() ? args.job_id : service.job_id();
    target->network_arch = service.network_arch();
    return std::nullopt;
  }
  tao::inference::v1::ListRequest request;
  request.set_network_arch(args.network_arch);
  ListResponse list;
  grpc::Status status =
      context.stub.List(context.NewCall(timeout).get(), request, &list);
  if (!status.ok()) return context.RpcError(status, timeout);
  const std::string scope =
      args.network_arch.empty()
          ? std::string("")
          : absl::StrCat(" of network_arch ", args.network_arch);
  if (list.services().empty()) {
    return TargetError(
        grpc::StatusCode::NOT_FOUND,
        tao::inference::v1::ERROR_REASON_NO_SERVICE,
        absl::StrCat("no service", scope,
                     " is running; start one with tao-infer start "
                     "(see tao-infer list)"),
        list);
  }
  int chosen = 0;
  if (list.services_size() > 1) {
    if (!context.io.is_tty) {
      return TargetError(
          grpc::StatusCode::FAILED_PRECONDITION,
          tao::inference::v1::ERROR_REASON_AMBIGUOUS_TARGET,
          absl::StrCat(list.services_size(), " services", scope,
                       " could take this request; choose one with --job-id"),
          list);
    }
    std::optional<int> answer =
        AskWhichService(list.services(), context.io.in, context.io.err);
    if (!answer) {
      return TargetError(grpc::StatusCode::FAILED_PRECONDITION,
                         tao::inference::v1::ERROR_REASON_AMBIGUOUS_TARGET,
                         "no service was chosen; choose one with --job-id",
                         list);
    }
    chosen = *answer;
  }
  target->job_id = list.services(chosen).job_id();
  target->network_arch = list.services(chosen).network_arch();
  return std::nullopt;
}

}  // namespace tao::cli
