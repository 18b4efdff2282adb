// `tao-infer get JOB_ID [--refresh]`.
#include "client/cli/commands.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"

namespace tao::cli {

int RunGet(const CliContext& context, const GetArgs& args) {
  tao::inference::v1::GetRequest request;
  request.set_job_id(args.job_id);
  request.set_refresh(args.refresh);
  tao::inference::v1::Service service;
  const absl::Duration timeout =
      TimeoutOr(args.timeout_seconds, kDefaultCallTimeout);
  const grpc::Status status =
      context.stub.Get(context.NewCall(timeout).get(), request, &service);
  if (!status.ok()) return context.Fail(context.RpcError(status, timeout));
  if (context.json) {
    PrintJson(context.io.out, ProtoToJson(service));
  } else {
    context.io.out << FormatServiceDetails(service);
  }
  return 0;
}

}  // namespace tao::cli
