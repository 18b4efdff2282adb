#include "client/cli/args.h"

#include <functional>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/cli/platform_options.h"
#include "client/cli/sampling_fields.h"

namespace tao::cli {
namespace {

struct FlagSpec {
  std::string name;  // without the leading "--"
  bool takes_value = true;
  bool repeatable = false;
  std::function<absl::Status(const std::string& value)> apply;
};

struct CommandEntry {
  const char* name;
  Command command;
};

constexpr CommandEntry kCommands[] = {
    {"start", Command::kStart}, {"stop", Command::kStop},
    {"list", Command::kList},   {"get", Command::kGet},
    {"wait", Command::kWait},   {"infer", Command::kInfer},
    {"help", Command::kHelp},
};

std::optional<Command> LookUpCommand(const std::string& name) {
  for (const CommandEntry& entry : kCommands) {
    if (name == entry.name) return entry.command;
  }
  return std::nullopt;
}

absl::Status Invalid(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

absl::StatusOr<int> ParseInt(const std::string& flag, const std::string& text,
                             int min, int max) {
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
    return Invalid(absl::StrCat("--", flag, ": '", text,
                                "' is not a whole number in [", min, ", ", max,
                                "]"));
  }
  return value;
}

absl::StatusOr<double> ParseSeconds(const std::string& flag,
                                    const std::string& text) {
  double value = 0;
  if (!absl::SimpleAtod(text, &value) || !(value > 0) || value > 1e9) {
    return Invalid(absl::StrCat("--", flag, ": '", text,
                                "' is not a positive number of seconds"));
  }
  return value;
}

// A flag that stores its value in `target`.
FlagSpec StringFlag(std::string name, std::string* target) {
  return {name, true, false, [target](const std::string& value) {
            *target = value;
            return absl::OkStatus();
          }};
}

FlagSpec BoolFlag(std::string name, bool* target) {
  return {name, false, false, [target](const std::string&) {
            *target = true;
            return absl::OkStatus();
          }};
}

FlagSpec SecondsFlag(std::string name, std::optional<double>* target) {
  return {name, true, false, [name, target](const std::string& value) {
            absl::StatusOr<double> seconds = ParseSeconds(name, value);
            if (!seconds.ok()) return seconds.status();
            *target = *seconds;
            return absl::OkStatus();
          }};
}

// A repeatable NAME=VALUE flag; each name at most once.
FlagSpec NameValueFlag(std::string name,
                       std::map<std::string, std::string>* target) {
  return {name, true, true, [name, target](const std::string& value) {
            const size_t eq = value.find('=');
            if (eq == std::string::npos || eq == 0) {
              return Invalid(absl::StrCat("--", name, ": '", value,
                                          "' is not NAME=VALUE"));
            }
            const std::string key = value.substr(0, eq);
            if (!target->emplace(key, value.substr(eq + 1)).second) {
              return Invalid(
                  absl::StrCat("--", name, ": ", key, " is given twice"));
            }
            return absl::OkStatus();
          }};
}

std::vector<FlagSpec> GlobalFlags(CliArgs& args) {
  return {StringFlag("server", &args.server), BoolFlag("json", &args.json),
          BoolFlag("help", &args.help)};
}

std::vector<FlagSpec> StartFlags(StartArgs& start) {
  return {
      StringFlag("platform", &start.platform),
      StringFlag("network-arch", &start.network_arch),
      StringFlag("model-path", &start.model_path),
      StringFlag("model-key", &start.model_key),
      StringFlag("image", &start.image),
      {"num-gpus", true, false,
       [&start](const std::string& value) {
         absl::StatusOr<int> gpus = ParseInt("num-gpus", value, 1, 1024);
         if (!gpus.ok()) return gpus.status();
         start.num_gpus = *gpus;
         return absl::OkStatus();
       }},
      {"host-port", true, false,
       [&start](const std::string& value) {
         absl::StatusOr<int> port = ParseInt("host-port", value, 0, 65535);
         if (!port.ok()) return port.status();
         start.host_port = *port;
         return absl::OkStatus();
       }},
      StringFlag("request-id", &start.request_id),
      NameValueFlag("env", &start.env),
      NameValueFlag("option", &start.options),
      BoolFlag("wait", &start.wait),
      SecondsFlag("timeout", &start.timeout_seconds),
  };
}

std::vector<FlagSpec> InferFlags(InferArgs& infer) {
  std::vector<FlagSpec> flags = {
      StringFlag("job-id", &infer.job_id),
      StringFlag("network-arch", &infer.network_arch),
      {"text", true, false,
       [&infer](const std::string& value) {
         infer.text = value;
         return absl::OkStatus();
       }},
      {"image", true, true,
       [&infer](const std::string& value) {
         infer.images.push_back(value);
         return absl::OkStatus();
       }},
      {"video", true, true,
       [&infer](const std::string& value) {
         infer.videos.push_back(value);
         return absl::OkStatus();
       }},
      BoolFlag("accept-defaults", &infer.accept_defaults),
      BoolFlag("wait-for-ready", &infer.wait_for_ready),
      StringFlag("output", &infer.output),
      SecondsFlag("timeout", &infer.timeout_seconds),
  };
  // One flag per SamplingParams field: --max-tokens, --top-p, ...
  for (const std::string& field : AllSamplingFieldNames()) {
    flags.push_back({FlagForField(field).substr(2), true, false,
                     [&infer, field](const std::string& value) {
                       return SetSamplingField(&infer.sampling, field, value);
                     }});
  }
  return flags;
}

std::vector<FlagSpec> CommandFlags(CliArgs& args) {
  switch (args.command) {
    case Command::kStart:
      return StartFlags(args.start);
    case Command::kStop:
      return {BoolFlag("yes", &args.stop.yes),
              SecondsFlag("timeout", &args.stop.timeout_seconds)};
    case Command::kList:
      return {StringFlag("network-arch", &args.list.network_arch),
              StringFlag("platform", &args.list.platform),
              BoolFlag("refresh", &args.list.refresh),
              SecondsFlag("timeout", &args.list.timeout_seconds)};
    case Command::kGet:
      return {BoolFlag("refresh", &args.get.refresh),
              SecondsFlag("timeout", &args.get.timeout_seconds)};
    case Command::kWait:
      return {SecondsFlag("timeout", &args.wait.timeout_seconds)};
    case Command::kInfer:
      return InferFlags(args.infer);
    default:
      return {};
  }
}

const FlagSpec* FindFlag(const std::vector<FlagSpec>& flags,
                         const std::string& name) {
  for (const FlagSpec& flag : flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

// Assigns positional arguments (job ids) and checks required flags.
absl::Status Finish(CliArgs& args, const std::vector<std::string>& positional) {
  const std::string command = CommandName(args.command);
  auto too_many = [&](size_t allowed) -> absl::Status {
    if (positional.size() <= allowed) return absl::OkStatus();
    return Invalid(absl::StrCat("unexpected argument '", positional[allowed],
                                "' for `tao-infer ", command, "`"));
  };
  auto one_job_id = [&](std::string* job_id) -> absl::Status {
    if (positional.empty()) {
      return Invalid(absl::StrCat("`tao-infer ", command,
                                  "` needs a JOB_ID (see tao-infer list)"));
    }
    *job_id = positional[0];
    return too_many(1);
  };
  switch (args.command) {
    case Command::kNone:
      return Invalid(
          "no command given; use one of start, stop, list, get, wait, "
          "infer (see tao-infer --help)");
    case Command::kHelp:
      if (!positional.empty()) {
        std::optional<Command> topic = LookUpCommand(positional[0]);
        if (!topic) {
          return Invalid(absl::StrCat("unknown command '", positional[0],
                                      "' (see tao-infer --help)"));
        }
        args.help_topic = *topic;
      }
      args.help = true;
      return too_many(1);
    case Command::kStart: {
      if (absl::Status s = too_many(0); !s.ok()) return s;
      const StartArgs& start = args.start;
      if (start.platform.empty()) {
        return Invalid(
            "start needs --platform (local-docker, brev, lepton, slurm or "
            "kubernetes)");
      }
      if (start.network_arch.empty()) {
        return Invalid(
            "start needs --network-arch (cosmos-rl or cosmos-predict2.5)");
      }
      if (start.model_path.empty()) {
        return Invalid(
            "start needs --model-path (hf_model://ORG/MODEL or an absolute "
            "path inside the container)");
      }
      // Checked here so that a bad --option is a usage error before any
      // call.
      tao::inference::v1::StartRequest scratch;
      return SetPlatformOptions(start.platform, start.options, &scratch);
    }
    case Command::kStop:
      if (!positional.empty()) args.stop.job_id = positional[0];
      return too_many(1);
    case Command::kList:
      return too_many(0);
    case Command::kGet:
      return one_job_id(&args.get.job_id);
    case Command::kWait:
      return one_job_id(&args.wait.job_id);
    case Command::kInfer: {
      if (absl::Status s = too_many(0); !s.ok()) return s;
      const InferArgs& infer = args.infer;
      if (!infer.job_id.empty() && !infer.network_arch.empty()) {
        return Invalid(
            "infer: give --job-id or --network-arch, not both (--job-id "
            "names one service)");
      }
      if (!infer.text && infer.images.empty() && infer.videos.empty()) {
        return Invalid("infer needs an input: --text, --image or --video");
      }
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace

const char* CommandName(Command command) {
  for (const CommandEntry& entry : kCommands) {
    if (entry.command == command) return entry.name;
  }
  return "";
}

std::string DefaultServer(const char* env_value) {
  if (env_value != nullptr && *env_value != '\0') return env_value;
  return "127.0.0.1:50051";
}

absl::StatusOr<CliArgs> ParseArgs(const std::vector<std::string>& args,
                                  const std::string& default_server) {
  CliArgs result;
  result.server = default_server;
  const std::vector<FlagSpec> global_flags = GlobalFlags(result);
  std::vector<FlagSpec> command_flags;
  std::vector<std::string> positional;
  std::set<std::string> seen;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (!options_ended && token == "--") {
      options_ended = true;
      continue;
    }
    if (!options_ended && token == "-h") {
      result.help = true;
      continue;
    }
    const bool is_flag = !options_ended && absl::StartsWith(token, "--");
    if (!is_flag) {
      if (!options_ended && absl::StartsWith(token, "-") && token.size() > 1) {
        return Invalid(absl::StrCat("unknown flag '", token,
                                    "' (flags are spelled --name)"));
      }
      if (result.command == Command::kNone) {
        std::optional<Command> command = LookUpCommand(token);
        if (!command) {
          return Invalid(absl::StrCat(
              "unknown command '", token,
              "'; use one of start, stop, list, get, wait, infer"));
        }
        result.command = *command;
        command_flags = CommandFlags(result);
        continue;
      }
      positional.push_back(token);
      continue;
    }
    std::string name = token.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* flag = FindFlag(global_flags, name);
    if (flag == nullptr) flag = FindFlag(command_flags, name);
    if (flag == nullptr) {
      if (result.command == Command::kNone) {
        return Invalid(absl::StrCat(
            "unknown flag --", name,
            " (only --server, --json and --help may come before the "
            "command; see tao-infer --help)"));
      }
      const char* command = CommandName(result.command);
      return Invalid(absl::StrCat("unknown flag --", name, " for `tao-infer ",
                                  command, "` (see tao-infer ", command,
                                  " --help)"));
    }
    if (flag->takes_value && !value) {
      if (i + 1 >= args.size()) {
        return Invalid(absl::StrCat("--", name, " needs a value"));
      }
      const std::string& next = args[i + 1];
      if (absl::StartsWith(next, "--") && next.size() > 2) {
        return Invalid(absl::StrCat("--", name, " needs a value (got ", next,
                                    "; write --", name,
                                    "=VALUE for a value that starts with "
                                    "--)"));
      }
      value = next;
      ++i;
    } else if (!flag->takes_value && value) {
      return Invalid(absl::StrCat("--", name, " takes no value"));
    }
    if (flag->takes_value && !flag->repeatable && !seen.insert(name).second) {
      return Invalid(absl::StrCat("--", name, " is given twice"));
    }
    if (absl::Status s = flag->apply(value.value_or("")); !s.ok()) return s;
  }
  if (result.help && result.command != Command::kHelp) {
    result.help_topic = result.command;
    return result;
  }
  if (absl::Status s = Finish(result, positional); !s.ok()) return s;
  return result;
}

bool WantsJson(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg == "--json") return true;
  }
  return false;
}

}  // namespace tao::cli
