// `tao-infer start --platform P --network-arch A --model-path M ...`.
#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"
#include "client/cli/platform_options.h"
#include "client/cli/wait_stream.h"

namespace tao::cli {
namespace {

constexpr double kMinimumWaitSeconds = 0.1;

tao::inference::v1::StartRequest BuildStartRequest(const StartArgs& args) {
  tao::inference::v1::StartRequest request;
  // With --wait, WaitReady shows the launch (image pull, start) as it goes
  // instead of Start blocking silently through it.
  request.set_return_on_accept(args.wait);
  request.set_platform(args.platform);
  request.set_network_arch(args.network_arch);
  request.set_model_path(args.model_path);
  request.set_model_key(args.model_key);
  request.set_image(args.image);
  if (args.num_gpus) request.set_num_gpus(*args.num_gpus);
  request.set_host_port(args.host_port);
  request.set_request_id(args.request_id);
  request.mutable_env()->insert(args.env.begin(), args.env.end());
  // ParseArgs has checked the options already.
  SetPlatformOptions(args.platform, args.options, &request).IgnoreError();
  return request;
}

}  // namespace

int RunStart(const CliContext& context, const StartArgs& args) {
  // --timeout bounds the whole command: the start (a SLURM job may stay
  // pending for ever) and, with --wait, what is left of it for the wait.
  const absl::Duration timeout =
      TimeoutOr(args.timeout_seconds, kDefaultStartTimeout);
  const absl::Time give_up_at = absl::Now() + timeout;
  tao::inference::v1::StartResponse response;
  const grpc::Status status = context.stub.Start(
      context.NewCall(timeout).get(), BuildStartRequest(args), &response);
  if (!status.ok()) {
    CliError error = context.RpcError(status);
    if (error.code == grpc::StatusCode::DEADLINE_EXCEEDED) {
      error.message = absl::StrCat("the service was not started within ",
                                   absl::ToDoubleSeconds(timeout),
                                   "s (--timeout): ", error.message);
    }
    return context.Fail(error);
  }
  const auto& service = response.service();
  if (!context.json) {
    std::ostream& out = context.io.out;
    if (response.replayed()) {
      out << "Request " << args.request_id << " already started "
          << service.job_id() << "; nothing new was started.\n";
    } else {
      out << "Started " << service.job_id() << " (" << service.network_arch()
          << " on " << service.platform() << "), state "
          << StateName(service.state()) << ".\n";
    }
    out << FormatServiceDetails(service);
    if (!args.wait) {
      out << "Next: tao-infer wait " << service.job_id() << std::endl;
      return 0;
    }
    out << "Waiting for the service to be ready..." << std::endl;
  }
  if (!args.wait) {
    PrintJson(context.io.out, ProtoToJson(response));
    return 0;
  }
  std::optional<double> wait_seconds;
  if (args.timeout_seconds) {
    // A wait of (nearly) nothing still reports the service's state.
    wait_seconds = std::max(absl::ToDoubleSeconds(give_up_at - absl::Now()),
                            kMinimumWaitSeconds);
  }
  WaitOutcome outcome =
      FollowWaitReady(context, service.job_id(), wait_seconds);
  if (context.json) {
    nlohmann::json document = ProtoToJson(response);
    document["wait"] = WaitOutcomeToJson(outcome);
    PrintJson(context.io.out, document);
  } else {
    PrintWaitSummary(context, outcome);
  }
  return outcome.exit_code();
}

}  // namespace tao::cli
