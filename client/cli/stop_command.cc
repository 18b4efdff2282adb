// `tao-infer stop [JOB_ID] [--yes]`. Without JOB_ID the registry's latest
// service is stopped, but only after the user confirmed which one that is:
// the API itself never picks a service to stop.
#include "absl/strings/str_cat.h"
#include "client/cli/choice_prompt.h"
#include "client/cli/commands.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"

namespace tao::cli {
namespace {

using tao::inference::v1::Service;

std::string Describe(const Service& service) {
  return absl::StrCat(
      service.job_id(), " (", service.network_arch(), " on ",
      service.platform(),
      service.host_url().empty() ? "" : absl::StrCat(", ", service.host_url()),
      ")");
}

CliError NoLatest(const tao::inference::v1::ListResponse& list) {
  CliError error;
  error.code = grpc::StatusCode::FAILED_PRECONDITION;
  tao::inference::v1::ErrorDetails details;
  details.set_reason_code(tao::inference::v1::ERROR_REASON_NO_SERVICE);
  if (list.services().empty()) {
    error.code = grpc::StatusCode::NOT_FOUND;
    error.message = "no services are running; nothing to stop";
  } else {
    error.message =
        "the registry names no latest service; name the one to stop: "
        "tao-infer stop JOB_ID";
    *details.mutable_candidates() = list.services();
  }
  error.details = details;
  return error;
}

// Finds the latest service and asks to confirm it. Returns its job id, or
// "" with *exit_code set when nothing is to be stopped.
std::string ConfirmLatest(const CliContext& context, const StopArgs& args,
                          absl::Duration timeout, int* exit_code) {
  tao::inference::v1::ListResponse list;
  const grpc::Status status = context.stub.List(
      context.NewCall(timeout).get(), tao::inference::v1::ListRequest(), &list);
  if (!status.ok()) {
    *exit_code = context.Fail(context.RpcError(status, timeout));
    return "";
  }
  const Service* latest = nullptr;
  for (const Service& service : list.services()) {
    if (!list.latest_job_id().empty() &&
        service.job_id() == list.latest_job_id()) {
      latest = &service;
    }
  }
  if (latest == nullptr) {
    *exit_code = context.Fail(NoLatest(list));
    return "";
  }
  const std::string description = Describe(*latest);
  if (args.yes) {
    context.io.err << "Stopping the latest service: " << description << "\n";
    return latest->job_id();
  }
  if (!context.io.is_tty) {
    CliError error;
    error.code = grpc::StatusCode::INVALID_ARGUMENT;
    error.message = absl::StrCat(
        "stop without JOB_ID stops the latest service, ", description,
        "; pass --yes to confirm, or name it: tao-infer stop ",
        latest->job_id());
    tao::inference::v1::ErrorDetails details;
    *details.add_candidates() = *latest;
    error.details = details;
    error.extra = {{"cli_reason", "CONFIRMATION_REQUIRED"}};
    *exit_code = context.Fail(error);
    return "";
  }
  context.io.err << "latest points to " << description << "\n";
  const std::optional<bool> yes =
      AskYesNo("Stop it?", context.io.in, context.io.err);
  if (!yes.value_or(false)) {
    if (context.json) {
      PrintJson(context.io.out,
                {{"stopped", false}, {"service", ProtoToJson(*latest)}});
    } else {
      context.io.out << "Nothing stopped.\n";
    }
    *exit_code = 0;
    return "";
  }
  return latest->job_id();
}

}  // namespace

int RunStop(const CliContext& context, const StopArgs& args) {
  const absl::Duration timeout =
      TimeoutOr(args.timeout_seconds, kDefaultCallTimeout);
  std::string job_id = args.job_id;
  if (job_id.empty()) {
    int exit_code = 0;
    job_id = ConfirmLatest(context, args, timeout, &exit_code);
    if (job_id.empty()) return exit_code;
  }
  tao::inference::v1::StopRequest request;
  request.set_job_id(job_id);
  tao::inference::v1::StopResponse response;
  const grpc::Status status =
      context.stub.Stop(context.NewCall(timeout).get(), request, &response);
  if (!status.ok()) return context.Fail(context.RpcError(status, timeout));
  if (context.json) {
    nlohmann::json document = ProtoToJson(response);
    document["stopped"] = true;
    PrintJson(context.io.out, document);
    return 0;
  }
  Service stopped = response.service();
  if (stopped.job_id().empty()) stopped.set_job_id(job_id);
  context.io.out << "Stopped " << Describe(stopped) << ".\n";
  if (response.latest_job_id().empty()) {
    context.io.out << "No services left.\n";
  } else {
    context.io.out << "latest is now " << response.latest_job_id() << ".\n";
  }
  return 0;
}

}  // namespace tao::cli
