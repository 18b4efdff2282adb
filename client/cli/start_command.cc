// `tao-infer start --platform P --network-arch A --model-path M ...`.
#include <grpcpp/client_context.h>

#include "client/cli/commands.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"
#include "client/cli/wait_stream.h"

namespace tao::cli {
namespace {

tao::inference::v1::StartRequest BuildStartRequest(const StartArgs& args) {
  tao::inference::v1::StartRequest request;
  request.set_platform(args.platform);
  request.set_network_arch(args.network_arch);
  request.set_model_path(args.model_path);
  request.set_model_key(args.model_key);
  request.set_image(args.image);
  if (args.num_gpus) request.set_num_gpus(*args.num_gpus);
  request.set_host_port(args.host_port);
  request.set_request_id(args.request_id);
  request.mutable_env()->insert(args.env.begin(), args.env.end());
  return request;
}

}  // namespace

int RunStart(const CliContext& context, const StartArgs& args) {
  tao::inference::v1::StartResponse response;
  grpc::ClientContext call;
  const grpc::Status status =
      context.stub.Start(&call, BuildStartRequest(args), &response);
  if (!status.ok()) return context.Fail(context.RpcError(status));
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
    out << "Waiting for the model to load..." << std::endl;
  }
  if (!args.wait) {
    PrintJson(context.io.out, ProtoToJson(response));
    return 0;
  }
  WaitOutcome outcome =
      FollowWaitReady(context, service.job_id(), args.timeout_seconds);
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
