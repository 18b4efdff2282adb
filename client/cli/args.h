// Command-line parsing for tao-infer: subcommands, global flags anywhere
// (--server, --json, --help), `--flag value` and `--flag=value`.
// absl flags have no subcommands, hence this small parser.
#ifndef TAO_CLIENT_CLI_ARGS_H_
#define TAO_CLIENT_CLI_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

enum class Command { kNone, kHelp, kStart, kStop, kList, kGet, kWait, kInfer };

// The subcommand's name ("start"), "" for kNone.
const char* CommandName(Command command);

struct StartArgs {
  std::string platform;
  std::string network_arch;
  std::string model_path;
  std::string model_key;
  std::string image;
  std::optional<int> num_gpus;
  int host_port = 0;
  std::string request_id;
  std::map<std::string, std::string> env;  // --env NAME=VALUE
  // --option NAME=VALUE: fields of the platform's options message.
  std::map<std::string, std::string> options;
  bool wait = false;                      // --wait: start, then wait
  std::optional<double> timeout_seconds;  // the start, and the wait
};

struct StopArgs {
  std::string job_id;  // empty: the registry's latest, after confirmation
  bool yes = false;
  std::optional<double> timeout_seconds;  // each call
};

struct ListArgs {
  std::string network_arch;  // filters
  std::string platform;
  bool refresh = false;
  std::optional<double> timeout_seconds;
};

struct GetArgs {
  std::string job_id;
  bool refresh = false;
  std::optional<double> timeout_seconds;
};

struct WaitArgs {
  std::string job_id;
  std::optional<double> timeout_seconds;
};

struct InferArgs {
  std::string job_id;
  std::string network_arch;
  std::optional<std::string> text;
  std::vector<std::string> images;  // files or URLs, in order
  std::vector<std::string> videos;
  tao::inference::v1::SamplingParams sampling;  // only the flags given
  bool accept_defaults = false;
  bool wait_for_ready = false;
  std::string output;  // media answer file; empty: default path
  std::optional<double> timeout_seconds;
};

struct CliArgs {
  Command command = Command::kNone;
  std::string server;
  bool json = false;
  bool help = false;  // --help / -h / `help [COMMAND]`
  Command help_topic = Command::kNone;
  StartArgs start;
  StopArgs stop;
  ListArgs list;
  GetArgs get;
  WaitArgs wait;
  InferArgs infer;
};

// The server address when --server is absent: $TAO_INFER_SERVER when set
// and non-empty, else 127.0.0.1:50051. `env_value` may be null.
std::string DefaultServer(const char* env_value);

// Parses the arguments after the program name. Errors: INVALID_ARGUMENT
// saying which flag or argument is wrong and what is expected.
absl::StatusOr<CliArgs> ParseArgs(const std::vector<std::string>& args,
                                  const std::string& default_server);

// True when `args` ask for JSON output, even if they do not parse (so a
// usage error can be reported as JSON).
bool WantsJson(const std::vector<std::string>& args);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_ARGS_H_
