// Catalog::InnerCommand: the command a container runs via /bin/bash -c,
// byte for byte what the original skill generated (spec §5.2, §5.3).
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platforms/common/shell_quote.h"
#include "server/core/catalog/catalog.h"
#include "server/core/catalog/catalog_data.h"
#include "server/core/catalog/python_json.h"
#include "server/core/common/errors.h"

namespace tao::catalog {
namespace {

constexpr int kDefaultPort = 8080;
constexpr absl::string_view kHfScheme = "hf_model://";
constexpr absl::string_view kPredictOutputDir = "/tmp/cosmos-predict2.5-output";

// JOB_JSON: json.dumps({"job_id", "specs": {"model_path"},
// "neural_network_name"}, separators=(",", ":")).
absl::StatusOr<std::string> JobJson(const CommandInputs& inputs) {
  std::string json = "{\"job_id\":";
  if (absl::Status s = AppendPythonJsonString(inputs.job_id, &json); !s.ok()) {
    return core::InvalidField("job_id", s.message());
  }
  json += ",\"specs\":{\"model_path\":";
  if (absl::Status s = AppendPythonJsonString(inputs.model_path, &json);
      !s.ok()) {
    return core::InvalidField("model_path", s.message());
  }
  json += "},\"neural_network_name\":";
  if (absl::Status s = AppendPythonJsonString(inputs.network_arch, &json);
      !s.ok()) {
    return core::InvalidField("network_arch", s.message());
  }
  json += "}";
  return json;
}

absl::Status CheckEnvPayload(const Catalog& catalog,
                             const EnvPayload& payload) {
  std::set<std::string> seen;
  for (const auto& [name, value] : payload) {
    // The container prints --docker_env_vars at startup.
    if (catalog.IsSecretName(name)) {
      return core::InvalidField(
          absl::StrCat("env.", name),
          "is a secret and never goes into --docker_env_vars; pass it as a "
          "container environment variable");
    }
    if (!seen.insert(name).second) {
      return core::InvalidField(absl::StrCat("env.", name), "appears twice");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CosmosRlCommand(const Catalog& catalog,
                                            const CommandInputs& inputs) {
  if (absl::Status s = CheckEnvPayload(catalog, inputs.env_payload); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> job = JobJson(inputs);
  if (!job.ok()) return job.status();
  absl::StatusOr<std::string> env = PythonJsonObject(inputs.env_payload);
  if (!env.ok()) return core::InvalidField("env", env.status().message());
  std::string command = absl::StrCat(
      "umask 0 && ", inputs.network_arch, "-inference-microservice --job ",
      platforms::ShellQuote(*job), " --docker_env_vars ",
      platforms::ShellQuote(*env));
  // The server's --port defaults to 8080; the spec's string has no flag.
  if (inputs.container_port != kDefaultPort) {
    absl::StrAppend(&command, " --port ", inputs.container_port);
  }
  return command;
}

// Quoting: the spec's template writes the checkpoint, model key and output
// dir inside literal single quotes (--output-dir '/tmp/...'), which
// shlex.quote would drop for such safe strings. SingleQuote always quotes,
// so ordinary values give the spec's exact bytes, and a ' inside a value is
// still escaped ('"'"') so no value can break out of its argument.
absl::StatusOr<std::string> CosmosPredictCommand(const CommandInputs& inputs) {
  std::string checkpoint_flag;
  if (absl::StartsWith(inputs.model_path, kHfScheme)) {
    checkpoint_flag =
        absl::StrCat("--model ", platforms::SingleQuote(inputs.model_key));
  } else if (absl::StartsWith(inputs.model_path, "/")) {
    checkpoint_flag = absl::StrCat("--checkpoint-path ",
                                   platforms::SingleQuote(inputs.model_path));
  } else {
    // ValidateModelPath refuses these first; kept for safety.
    return core::InvalidField(
        "model_path", "Unsupported model_path scheme for cosmos-predict2.5");
  }
  return absl::StrCat("umask 0 && cosmos_predict inference_microservice start ",
                      checkpoint_flag, " --output-dir ",
                      platforms::SingleQuote(kPredictOutputDir), " --port ",
                      inputs.container_port);
}

}  // namespace

absl::StatusOr<std::string> Catalog::InnerCommand(
    const CommandInputs& inputs) const {
  if (absl::Status s = ValidateModelPath(inputs.network_arch, inputs.model_path,
                                         inputs.model_key);
      !s.ok()) {
    return s;
  }
  if (inputs.job_id.empty()) {
    return core::InvalidField("job_id", "required to build the command");
  }
  if (inputs.container_port < 1 || inputs.container_port > 65535) {
    return core::InvalidField(
        "container_port",
        absl::StrCat(inputs.container_port, " is not a TCP port (1-65535)"));
  }
  const ArchData& arch = data_->archs.at(inputs.network_arch);
  switch (arch.style) {
    case CommandStyle::kCosmosRlJob:
      return CosmosRlCommand(*this, inputs);
    case CommandStyle::kCosmosPredictCli:
      return CosmosPredictCommand(inputs);
  }
  return absl::InternalError("unknown command style");
}

}  // namespace tao::catalog
