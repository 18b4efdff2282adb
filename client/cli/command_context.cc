#include "client/cli/command_context.h"

#include "absl/strings/str_cat.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"

namespace tao::cli {

CliError CliContext::RpcError(const grpc::Status& status) const {
  const bool connected =
      channel != nullptr &&
      channel->GetState(/*try_to_connect=*/false) == GRPC_CHANNEL_READY;
  CliError error = FromGrpcStatus(status, connected);
  if (error.code == grpc::StatusCode::UNAVAILABLE && !error.server_reached) {
    error.message =
        absl::StrCat("cannot reach tao-inferd at ", server, " (", error.message,
                     "); is it running? Set the address with --server or "
                     "TAO_INFER_SERVER");
  }
  return error;
}

int CliContext::Fail(const CliError& error) const {
  if (json) {
    PrintJson(io.out, ErrorToJson(error));
  } else {
    io.err << FormatError(error);
  }
  return error.exit_code();
}

}  // namespace tao::cli
