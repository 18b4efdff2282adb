// What every subcommand gets: the stub, the terminal streams and whether it
// may ask questions, and how to report a failure.
#ifndef TAO_CLIENT_CLI_COMMAND_CONTEXT_H_
#define TAO_CLIENT_CLI_COMMAND_CONTEXT_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "client/cli/cli_error.h"
#include "tao/inference/v1/inference_service.grpc.pb.h"

namespace tao::cli {

// Deadlines of calls made without --timeout (docs/cli.md, "Deadlines"), so
// that a server that never answers cannot hang the CLI. list, get, stop and
// the lookups infer makes: the Python client's default.
inline constexpr absl::Duration kDefaultCallTimeout = absl::Seconds(60);
// start: long enough for an image pull or a SLURM queue.
inline constexpr absl::Duration kDefaultStartTimeout = absl::Hours(1);
// infer: the generated clients' default.
inline constexpr absl::Duration kDefaultInferTimeout = absl::Minutes(10);

// `seconds` (a --timeout flag) when given, else `fallback`.
absl::Duration TimeoutOr(const std::optional<double>& seconds,
                         absl::Duration fallback);

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
  // True when `err` is a terminal: progress may be redrawn in place there.
  bool err_is_tty = false;
};

struct CliContext {
  tao::inference::v1::InferenceService::StubInterface& stub;
  // The channel behind `stub`; may be null (then every UNAVAILABLE is
  // taken as "server unreachable").
  std::shared_ptr<grpc::Channel> channel;
  CommandIo io;
  bool json = false;
  std::string server;  // the address, for messages

  // A context for one call that gives up after `timeout`
  // (DEADLINE_EXCEEDED, exit 5). Every call the CLI makes gets one.
  std::unique_ptr<grpc::ClientContext> NewCall(absl::Duration timeout) const;

  // Wraps a failed call, telling a connection that never came up from a
  // failure the server reported.
  CliError RpcError(const grpc::Status& status) const;
  // The same for a call made with NewCall(timeout): a deadline it ran into
  // says how long it waited and how to wait longer.
  CliError RpcError(const grpc::Status& status, absl::Duration timeout) const;

  // Reports `error` (stderr, or a JSON document on stdout with --json) and
  // returns its exit code.
  int Fail(const CliError& error) const;
};

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_COMMAND_CONTEXT_H_
