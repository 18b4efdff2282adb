// The documented exit codes of tao-infer (see docs/cli.md and --help).
#ifndef TAO_CLIENT_CLI_EXIT_CODES_H_
#define TAO_CLIENT_CLI_EXIT_CODES_H_

#include <grpcpp/support/status.h>

#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

enum ExitCode : int {
  kExitOk = 0,
  // The server or the backend failed (INTERNAL, UNKNOWN and every code not
  // listed below).
  kExitServerError = 1,
  // Bad flags or arguments, or INVALID_ARGUMENT from the server.
  kExitUsage = 2,
  // No such service, no service at all, or an ambiguous target (NOT_FOUND;
  // FAILED_PRECONDITION with reason ERROR_REASON_AMBIGUOUS_TARGET or
  // ERROR_REASON_NO_SERVICE).
  kExitNotFound = 3,
  // The service failed (WaitReady ended FAILED or STOPPED, reason
  // ERROR_REASON_MODEL_LOAD_FAILED).
  kExitServiceFailed = 4,
  // DEADLINE_EXCEEDED, or `wait` ran out of time.
  kExitTimeout = 5,
  // The server could not be reached (UNAVAILABLE while connecting).
  kExitUnreachable = 6,
};

// Maps a failed call to its exit code. `reason` is ErrorDetails.reason_code
// (UNSPECIFIED without details). `server_reached` tells UNAVAILABLE sent by
// the server (e.g. a backend still loading) from a connection that never
// came up.
int ExitCodeFor(grpc::StatusCode code, tao::inference::v1::ErrorReason reason,
                bool server_reached);

// The exit-code table as help text, one code a line.
const char* ExitCodeHelp();

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_EXIT_CODES_H_
