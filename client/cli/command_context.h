// What every subcommand gets: the stub, the terminal streams and whether it
// may ask questions, and how to report a failure.
#ifndef TAO_CLIENT_CLI_COMMAND_CONTEXT_H_
#define TAO_CLIENT_CLI_COMMAND_CONTEXT_H_

#include <grpcpp/channel.h>

#include <istream>
#include <memory>
#include <ostream>
#include <string>

#include "client/cli/cli_error.h"
#include "tao/inference/v1/inference_service.grpc.pb.h"

namespace tao::cli {

// The streams a command talks through. Results go to `out` (one JSON
// document with --json); messages, progress chatter and questions go to
// `err`, so that `out` stays clean for scripts.
struct CommandIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  // True when `in` is a terminal a person answers on; commands ask
  // questions only then.
  bool is_tty = false;
};

struct CliContext {
  tao::inference::v1::InferenceService::StubInterface& stub;
  // The channel behind `stub`; may be null (then every UNAVAILABLE is
  // taken as "server unreachable").
  std::shared_ptr<grpc::Channel> channel;
  CommandIo io;
  bool json = false;
  std::string server;  // the address, for messages

  // Wraps a failed call, telling a connection that never came up from a
  // failure the server reported.
  CliError RpcError(const grpc::Status& status) const;

  // Reports `error` (stderr, or a JSON document on stdout with --json) and
  // returns its exit code.
  int Fail(const CliError& error) const;
};

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_COMMAND_CONTEXT_H_
