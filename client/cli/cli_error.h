// One shape for every failure the CLI reports: a gRPC status from the
// server (with its ErrorDetails) or a problem found by the CLI itself.
#ifndef TAO_CLIENT_CLI_CLI_ERROR_H_
#define TAO_CLIENT_CLI_CLI_ERROR_H_

#include <grpcpp/support/status.h>

#include <optional>
#include <string>

#include "nlohmann/json.hpp"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

struct CliError {
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  std::string message;
  // From the server's status details, or built by the CLI (e.g. the
  // candidates of an ambiguous target it found through List).
  std::optional<tao::inference::v1::ErrorDetails> details;
  // False when the failure came from the transport, not from the server.
  bool server_reached = true;
  // The service itself failed (a wait that ended FAILED or STOPPED): exit 4
  // whatever the code says.
  bool service_failed = false;
  // Extra machine-readable facts the CLI adds to the JSON "details" (e.g.
  // the sampling fields a script must pass, or "cli_reason" for a refusal
  // the CLI made itself).
  nlohmann::json extra = nlohmann::json::object();

  // ErrorDetails.reason_code; UNSPECIFIED without details.
  tao::inference::v1::ErrorReason reason() const {
    return details ? details->reason_code()
                   : tao::inference::v1::ERROR_REASON_UNSPECIFIED;
  }
  int exit_code() const;
};

// Reads the ErrorDetails packed in the status's binary details (an
// ErrorStatus, google.rpc.Status layout). nullopt when there are none or
// they cannot be parsed.
std::optional<tao::inference::v1::ErrorDetails> ReadErrorDetails(
    const grpc::Status& status);

// Wraps a failed call. `channel_connected` is whether the channel had a
// live connection when the call failed.
CliError FromGrpcStatus(const grpc::Status& status, bool channel_connected);

// A usage error (exit 2), found before anything was sent.
CliError UsageError(std::string message);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_CLI_ERROR_H_
