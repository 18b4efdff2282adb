#include "tests/fakes/reference_backend_args.h"

#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;

struct FlagSpec {
  std::set<std::string> with_value;
  std::set<std::string> switches;
};

struct ParsedFlags {
  std::map<std::string, std::string> values;  // last occurrence wins
  std::set<std::string> switches;
  std::vector<std::string> positional;

  bool Has(const std::string& flag) const { return values.count(flag) > 0; }
  std::string Get(const std::string& flag) const {
    auto it = values.find(flag);
    return it == values.end() ? "" : it->second;
  }
};

// Accepts "--flag value" and "--flag=value", like argparse and tyro.
absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const FlagSpec& spec) {
  ParsedFlags parsed;
  std::vector<std::string> unknown;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      parsed.positional.push_back(arg);
      continue;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    if (spec.switches.count(name) > 0 && eq == std::string::npos) {
      parsed.switches.insert(name);
    } else if (spec.with_value.count(name) > 0) {
      if (eq != std::string::npos) {
        parsed.values[name] = arg.substr(eq + 1);
      } else if (i + 1 < args.size()) {
        parsed.values[name] = args[++i];
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("argument ", name, ": expected one argument"));
      }
    } else {
      unknown.push_back(arg);
    }
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unrecognized arguments: ", absl::StrJoin(unknown, " ")));
  }
  return parsed;
}

absl::Status ReadPort(const ParsedFlags& flags, LaunchConfig* config) {
  if (!flags.Has("--port")) return absl::OkStatus();
  if (!absl::SimpleAtoi(flags.Get("--port"), &config->port) ||
      config->port < 0 || config->port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "argument --port: invalid int value: '", flags.Get("--port"), "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Json> ReadJsonObject(const ParsedFlags& flags,
                                    const std::string& flag) {
  Json json = Json::parse(flags.Get(flag), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("argument ", flag, ": not a JSON object"));
  }
  return json;
}

// cosmos-rl: argparse flags of the real server (spec §5.2).
absl::Status ParseCosmosRl(const std::vector<std::string>& args,
                           LaunchConfig* config) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(
      args, {{"--port", "--job", "--docker_env_vars", "--idle_timeout_minutes"},
             {"--disable_auto_deletion"}});
  if (!flags.ok()) return flags.status();
  if (!flags->positional.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unrecognized arguments: ", absl::StrJoin(flags->positional, " ")));
  }
  if (absl::Status s = ReadPort(*flags, config); !s.ok()) return s;
  if (!flags->Has("--job")) {
    return absl::InvalidArgumentError(
        "the following arguments are required: --job");
  }
  absl::StatusOr<Json> job = ReadJsonObject(*flags, "--job");
  if (!job.ok()) return job.status();
  const Json& specs = (*job)["specs"];
  if (!(*job)["job_id"].is_string() || !specs.is_object() ||
      !specs["model_path"].is_string() ||
      (*job)["neural_network_name"] != "cosmos-rl") {
    return absl::InvalidArgumentError(
        "argument --job: needs job_id, specs.model_path and "
        "neural_network_name \"cosmos-rl\"");
  }
  config->job = *job;
  config->job_id = (*job)["job_id"].get<std::string>();
  config->model_path = specs["model_path"].get<std::string>();
  if (flags->Has("--docker_env_vars")) {
    absl::StatusOr<Json> env = ReadJsonObject(*flags, "--docker_env_vars");
    if (!env.ok()) return env.status();
    for (const auto& item : env->items()) {
      config->docker_env_var_names.push_back(item.key());
    }
  }
  return absl::OkStatus();
}

// cosmos-predict2.5: tyro flags of `inference_microservice start` (spec
// §5.3). `need_subcommand`: the words "inference_microservice start" must
// come first (entry point cosmos_predict).
absl::Status ParseCosmosPredict(const std::vector<std::string>& args,
                                bool need_subcommand, LaunchConfig* config) {
  absl::StatusOr<ParsedFlags> flags = ParseFlags(
      args,
      {{"--checkpoint-path", "--model", "--output-dir", "--port",
        "--idle-timeout-minutes", "--context-parallel-size", "--pid-file"},
       {"--disable-guardrails", "--offload-guardrail-models",
        "--offload-diffusion-model"}});
  if (!flags.ok()) return flags.status();
  const std::vector<std::string> subcommand = {"inference_microservice",
                                               "start"};
  if (flags->positional != subcommand &&
      (need_subcommand || !flags->positional.empty())) {
    return absl::InvalidArgumentError(
        "expected the subcommand 'inference_microservice start'");
  }
  if (absl::Status s = ReadPort(*flags, config); !s.ok()) return s;
  if (flags->Has("--checkpoint-path") == flags->Has("--model")) {
    return absl::InvalidArgumentError(
        "exactly one of --checkpoint-path and --model is required");
  }
  config->model_path = flags->Has("--model") ? flags->Get("--model")
                                             : flags->Get("--checkpoint-path");
  if (config->model_path.empty()) {
    return absl::InvalidArgumentError("the model path is empty");
  }
  if (!flags->Has("--output-dir") || flags->Get("--output-dir").empty()) {
    return absl::InvalidArgumentError(
        "the following arguments are required: --output-dir");
  }
  config->output_dir = flags->Get("--output-dir");
  double minutes = 0;
  if (flags->Has("--idle-timeout-minutes") &&
      !absl::SimpleAtod(flags->Get("--idle-timeout-minutes"), &minutes)) {
    return absl::InvalidArgumentError(
        "argument --idle-timeout-minutes: invalid float value");
  }
  int size = 0;
  if (flags->Has("--context-parallel-size") &&
      !absl::SimpleAtoi(flags->Get("--context-parallel-size"), &size)) {
    return absl::InvalidArgumentError(
        "argument --context-parallel-size: invalid int value");
  }
  return absl::OkStatus();
}

std::string Basename(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// If args[*i] is `flag` ("--flag value" or "--flag=value"), stores the
// value, moves *i past it and returns true.
bool TakeFlag(const std::vector<std::string>& args, size_t* i,
              const std::string& flag, std::string* value) {
  const std::string& arg = args[*i];
  if (arg == flag && *i + 1 < args.size()) {
    *value = args[++*i];
    return true;
  }
  if (arg.rfind(flag + "=", 0) == 0) {
    *value = arg.substr(flag.size() + 1);
    return true;
  }
  return false;
}

// `reference_backend --arch A [--host H] ...`: takes out --arch and --host.
absl::StatusOr<Arch> TakeDirectModeFlags(std::vector<std::string>* args,
                                         LaunchConfig* config) {
  std::string arch;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args->size(); ++i) {
    if (TakeFlag(*args, &i, "--arch", &arch) ||
        TakeFlag(*args, &i, "--host", &config->host)) {
      continue;
    }
    rest.push_back((*args)[i]);
  }
  *args = std::move(rest);
  if (arch == "cosmos-rl") return Arch::kCosmosRl;
  if (arch == "cosmos-predict2.5") return Arch::kCosmosPredict;
  return absl::InvalidArgumentError(absl::StrCat(
      "--arch must be cosmos-rl or cosmos-predict2.5, got '", arch, "'"));
}

}  // namespace

const char* ArchName(Arch arch) {
  return arch == Arch::kCosmosRl ? "cosmos-rl" : "cosmos-predict2.5";
}

absl::StatusOr<LaunchConfig> ParseLaunchArgs(
    const std::vector<std::string>& argv) {
  LaunchConfig config;
  const std::string program = argv.empty() ? "" : Basename(argv[0]);
  std::vector<std::string> args(argv.begin() + (argv.empty() ? 0 : 1),
                                argv.end());
  absl::Status status;
  if (program == "cosmos-rl-inference-microservice") {
    config.arch = Arch::kCosmosRl;
    status = ParseCosmosRl(args, &config);
  } else if (program == "cosmos_predict") {
    config.arch = Arch::kCosmosPredict;
    status = ParseCosmosPredict(args, /*need_subcommand=*/true, &config);
  } else {
    absl::StatusOr<Arch> arch = TakeDirectModeFlags(&args, &config);
    if (!arch.ok()) return arch.status();
    config.arch = *arch;
    status = config.arch == Arch::kCosmosRl
                 ? ParseCosmosRl(args, &config)
                 : ParseCosmosPredict(args, /*need_subcommand=*/false, &config);
  }
  if (!status.ok()) return status;
  absl::StatusOr<Knobs> knobs = ParseKnobs(config.model_path);
  if (!knobs.ok()) return knobs.status();
  config.knobs = *knobs;
  return config;
}

}  // namespace tao::fakes
