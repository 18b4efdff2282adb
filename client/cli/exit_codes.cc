#include "client/cli/exit_codes.h"

namespace tao::cli {

int ExitCodeFor(grpc::StatusCode code, tao::inference::v1::ErrorReason reason,
                bool server_reached) {
  // Reasons are more specific than codes, so they are looked at first.
  switch (reason) {
    case tao::inference::v1::ERROR_REASON_AMBIGUOUS_TARGET:
    case tao::inference::v1::ERROR_REASON_NO_SERVICE:
      return kExitNotFound;
    case tao::inference::v1::ERROR_REASON_MODEL_LOAD_FAILED:
      return kExitServiceFailed;
    default:
      break;
  }
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return kExitUsage;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kExitTimeout;
    case grpc::StatusCode::UNAVAILABLE:
      return server_reached ? kExitServerError : kExitUnreachable;
    default:
      return kExitServerError;
  }
}

const char* ExitCodeHelp() {
  return "Exit codes:\n"
         "  0  success\n"
         "  1  server or backend error (INTERNAL, UNKNOWN, other codes)\n"
         "  2  usage error: bad flags or arguments, or INVALID_ARGUMENT from "
         "the server\n"
         "  3  target not found or ambiguous (NOT_FOUND, AMBIGUOUS_TARGET, "
         "NO_SERVICE)\n"
         "  4  the service failed (wait ended FAILED, MODEL_LOAD_FAILED)\n"
         "  5  timeout (DEADLINE_EXCEEDED, wait --timeout passed)\n"
         "  6  server unreachable (UNAVAILABLE while connecting)\n";
}

}  // namespace tao::cli
