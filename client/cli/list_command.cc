// `tao-infer list [--refresh] [--network-arch A] [--platform P]`.
#include "client/cli/commands.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"

namespace tao::cli {

int RunList(const CliContext& context, const ListArgs& args) {
  tao::inference::v1::ListRequest request;
  request.set_network_arch(args.network_arch);
  request.set_platform(args.platform);
  request.set_refresh(args.refresh);
  tao::inference::v1::ListResponse response;
  const absl::Duration timeout =
      TimeoutOr(args.timeout_seconds, kDefaultCallTimeout);
  const grpc::Status status =
      context.stub.List(context.NewCall(timeout).get(), request, &response);
  if (!status.ok()) return context.Fail(context.RpcError(status, timeout));
  if (context.json) {
    PrintJson(context.io.out, ProtoToJson(response));
  } else if (response.services().empty()) {
    context.io.out << "No services. Start one with: tao-infer start "
                      "--platform P --network-arch A --model-path M\n";
  } else {
    context.io.out << FormatServiceTable(response.services(),
                                         response.latest_job_id());
  }
  return 0;
}

}  // namespace tao::cli
