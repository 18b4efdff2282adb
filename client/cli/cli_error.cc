#include "client/cli/cli_error.h"

#include <utility>

#include "client/cli/exit_codes.h"

namespace tao::cli {

using tao::inference::v1::ErrorDetails;
using tao::inference::v1::ErrorStatus;

int CliError::exit_code() const {
  if (service_failed) return kExitServiceFailed;
  return ExitCodeFor(code, reason(), server_reached);
}

std::optional<ErrorDetails> ReadErrorDetails(const grpc::Status& status) {
  if (status.error_details().empty()) return std::nullopt;
  ErrorStatus rich;
  if (!rich.ParseFromString(status.error_details())) return std::nullopt;
  for (const google::protobuf::Any& any : rich.details()) {
    ErrorDetails details;
    if (any.Is<ErrorDetails>() && any.UnpackTo(&details)) return details;
  }
  return std::nullopt;
}

CliError FromGrpcStatus(const grpc::Status& status, bool channel_connected) {
  CliError error;
  error.code = status.error_code();
  error.message = status.error_message();
  error.details = ReadErrorDetails(status);
  // Details only come from our server; a live channel means the server
  // answered. Otherwise the failure happened before any server saw the call.
  error.server_reached = channel_connected || !status.error_details().empty();
  return error;
}

CliError UsageError(std::string message) {
  CliError error;
  error.code = grpc::StatusCode::INVALID_ARGUMENT;
  error.message = std::move(message);
  error.server_reached = false;
  return error;
}

}  // namespace tao::cli
