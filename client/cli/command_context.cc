#include "client/cli/command_context.h"

#include "absl/strings/str_cat.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"

namespace tao::cli {

absl::Duration TimeoutOr(const std::optional<double>& seconds,
                         absl::Duration fallback) {
  return seconds ? absl::Seconds(*seconds) : fallback;
}

std::unique_ptr<grpc::ClientContext> CliContext::NewCall(
    absl::Duration timeout) const {
  auto call = std::make_unique<grpc::ClientContext>();
  call->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return call;
}

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

CliError CliContext::RpcError(const grpc::Status& status,
                              absl::Duration timeout) const {
  CliError error = RpcError(status);
  if (error.code == grpc::StatusCode::DEADLINE_EXCEEDED) {
    error.message = absl::StrCat(
        "no result within ", absl::ToDoubleSeconds(timeout),
        "s; pass --timeout SECONDS to wait longer: ", error.message);
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
