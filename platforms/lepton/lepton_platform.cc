#include "platforms/lepton/lepton_platform.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "platforms/common/redactor.h"
#include "platforms/launch_wait.h"
#include "platforms/lepton/api_token.h"
#include "platforms/lepton/deployment_names.h"
#include "platforms/lepton/deployment_status.h"
#include "platforms/lepton/json_fields.h"

namespace tao::platforms::lepton {
namespace {

using json = nlohmann::json;
using Phase = RuntimeState::Phase;

// The Start env that sets /dev/shm in MiB (the skill's name for it,
// config/architectures.yaml).
constexpr char kSharedMemoryEnv[] = "LEPTON_SHARED_MEMORY_SIZE";

std::string DeploymentPath(const std::string& name) {
  return absl::StrCat("/deployments/", name);
}

std::string Option(const std::map<std::string, std::string>& options,
                   const std::string& key) {
  auto it = options.find(key);
  return it == options.end() ? std::string() : it->second;
}

// A shape as [S] config.py spells them: letters, digits, '.', '-', '_'.
bool IsShapeName(absl::string_view shape) {
  return !shape.empty() && std::all_of(shape.begin(), shape.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_';
  });
}

bool HasSpace(absl::string_view value) {
  return std::any_of(value.begin(), value.end(),
                     [](char c) { return absl::ascii_isspace(c); });
}

absl::Status CancelledLaunch(const std::string& name) {
  return absl::CancelledError(absl::StrCat(
      "the launch of Lepton deployment ", name,
      " was cancelled (the service was stopped or tao-inferd shut down); it "
      "was deleted"));
}

// "hf-token" for HF_TOKEN: user secret names in the style of the
// deployment's (lower case and '-'); [S] states no rule for them.
std::string SecretSuffix(const std::string& variable) {
  std::string suffix = absl::AsciiStrToLower(variable);
  std::replace(suffix.begin(), suffix.end(), '_', '-');
  return suffix;
}

bool IsNvcrImage(const std::string& image) {
  return absl::StartsWith(image, "nvcr.io/");
}

// The shapes WorkspaceInfo lists (supported_shapes is an object keyed by
// shape in [S] types/workspace.py; a list is taken too).
std::vector<std::string> SupportedShapes(const json& workspace) {
  std::vector<std::string> shapes;
  const json& supported = Member(workspace, "supported_shapes");
  if (supported.is_object()) {
    for (auto it = supported.begin(); it != supported.end(); ++it) {
      shapes.push_back(it.key());
    }
  } else if (supported.is_array()) {
    for (const json& shape : supported) {
      if (shape.is_string()) shapes.push_back(shape.get<std::string>());
    }
  }
  return shapes;
}

// The first api token's value, "" for none (a public endpoint).
std::string TokenOf(const json& deployment) {
  const json& tokens = Member(Member(deployment, "spec"), "api_tokens");
  if (!tokens.is_array()) return "";
  for (const json& token : tokens) {
    const std::string value = StringAt(token, "value");
    if (!value.empty()) return value;
  }
  return "";
}

std::string EndpointOf(const json& deployment) {
  return StringAt(Member(Member(deployment, "status"), "endpoint"),
                  "external_endpoint");
}

// The deployment of `placement`: its recorded name, else the one its job
// id gives (a launch cut short before it reported one); "" for neither.
std::string DeploymentOf(const Placement& placement) {
  if (!placement.platform_job_id.empty()) return placement.platform_job_id;
  absl::StatusOr<std::string> name = DeploymentName(placement.job_id);
  return name.ok() ? *name : "";
}

}  // namespace

absl::StatusOr<LeptonPlatform::Options> LeptonPlatform::OptionsFromEnvironment(
    const Getenv& getenv) {
  Options options;
  options.getenv = getenv ? getenv : Getenv(&ProcessGetenv);
  auto get = [&](const char* name) {
    return options.getenv(name).value_or("");
  };
  options.resource_shape = get("TAO_LEPTON_RESOURCE_SHAPE");
  if (!options.resource_shape.empty() && !IsShapeName(options.resource_shape)) {
    return absl::InvalidArgumentError(
        absl::StrCat("TAO_LEPTON_RESOURCE_SHAPE: \"", options.resource_shape,
                     "\" is not a resource shape (e.g. gpu.1xh100-sxm)"));
  }
  options.node_group = get("TAO_LEPTON_NODE_GROUP");
  if (HasSpace(options.node_group)) {
    return absl::InvalidArgumentError(
        "TAO_LEPTON_NODE_GROUP: a node group name or id has no white space");
  }
  if (std::string name = get("TAO_LEPTON_IMAGE_PULL_SECRET"); !name.empty()) {
    if (!IsDeploymentName(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "TAO_LEPTON_IMAGE_PULL_SECRET: \"", name,
          "\" is not a Lepton name (lower-case letters, digits and '-', "
          "starting with a letter, at most 32)"));
    }
    options.image_pull_secret = name;
  }
  options.ngc_api_key = get("NGC_API_KEY");
  if (options.ngc_api_key.empty()) options.ngc_api_key = get("NGC_KEY");
  return options;
}

absl::StatusOr<std::unique_ptr<LeptonPlatform>> LeptonPlatform::Create(
    Options options) {
  if (!options.getenv) options.getenv = &ProcessGetenv;
  if (options.shared_memory_mib < 0) {
    return absl::InvalidArgumentError("shared memory must not be negative");
  }
  return std::unique_ptr<LeptonPlatform>(
      new LeptonPlatform(std::move(options)));
}

absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment() {
  return CreateDriver<LeptonPlatform>(LeptonPlatform::OptionsFromEnvironment());
}

LeptonPlatform::LeptonPlatform(Options options)
    : options_(std::move(options)) {}

absl::StatusOr<LeptonApi*> LeptonPlatform::Api() {
  absl::MutexLock lock(&mu_);
  if (api_ == nullptr) {
    absl::StatusOr<LeptonSettings> settings =
        LeptonSettingsFromEnvironment(options_.getenv);
    if (!settings.ok()) return settings.status();
    api_ = std::make_unique<LeptonApi>(*std::move(settings),
                                       options_.request_timeout);
  }
  return api_.get();
}

std::string LeptonPlatform::HostPortScope(const LaunchSpec& spec) const {
  (void)spec;
  return "";
}

absl::Status LeptonPlatform::ValidateOptions(
    const std::map<std::string, std::string>& options) const {
  for (const auto& [key, value] : options) {
    if (value.empty()) continue;
    if (key == "resource_shape") {
      if (!IsShapeName(value)) {
        return absl::InvalidArgumentError(
            absl::StrCat("lepton.resource_shape: \"", value,
                         "\" is not a resource shape (e.g. gpu.1xh100-sxm)"));
      }
    } else if (key == "dedicated_node_group") {
      if (HasSpace(value)) {
        return absl::InvalidArgumentError(
            "lepton.dedicated_node_group: a node group name or id has no "
            "white space");
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(key,
                       ": not an option of platform lepton (resource_shape, "
                       "dedicated_node_group)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> LeptonPlatform::NodeGroupId(
    LeptonApi& api, const std::string& wanted) {
  absl::StatusOr<json> groups = api.Get("/dedicated-node-groups");
  if (!groups.ok()) return groups.status();
  std::vector<std::string> known;
  if (groups->is_array()) {
    for (const json& group : *groups) {
      const json& metadata = Member(group, "metadata");
      const std::string id = StringAt(metadata, "id");
      const std::string name = StringAt(metadata, "name");
      // The affinity takes ids; the CLI maps names to them
      // ([S] cli/util.py _get_valid_nodegroup_ids).
      if (!id.empty() && (id == wanted || name == wanted)) return id;
      known.push_back(
          name.empty() || name == id ? id : absl::StrCat(name, " (", id, ")"));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "lepton.dedicated_node_group: workspace ", api.settings().workspace_id,
      " has no dedicated node group \"", wanted, "\"",
      known.empty() ? "; it has none"
                    : absl::StrCat("; it has ", absl::StrJoin(known, ", "))));
}

absl::StatusOr<DeploymentInputs> LeptonPlatform::InputsFor(
    LeptonApi& api, const LaunchSpec& spec, const json& workspace) {
  if (absl::Status s = ValidateOptions(spec.options); !s.ok()) return s;
  if (!spec.inner_command) {
    return absl::InvalidArgumentError("the launch has no inner command");
  }
  absl::StatusOr<std::string> name = DeploymentName(spec.job_id);
  if (!name.ok()) return name.status();
  absl::StatusOr<std::string> command = spec.inner_command(kServicePort);
  if (!command.ok()) return command.status();

  DeploymentInputs in;
  in.name = *name;
  in.job_id = spec.job_id;
  in.server_instance = spec.server_instance;
  in.network_arch = spec.network_arch;
  in.image = spec.image;
  in.inner_command = *command;
  in.env = spec.env;
  in.resource_shape = Option(spec.options, "resource_shape");
  if (in.resource_shape.empty()) in.resource_shape = options_.resource_shape;
  if (in.resource_shape.empty()) {
    const std::vector<std::string> shapes = SupportedShapes(workspace);
    return absl::InvalidArgumentError(absl::StrCat(
        "lepton.resource_shape: not set, and the server has no default "
        "(TAO_LEPTON_RESOURCE_SHAPE)",
        shapes.empty()
            ? ""
            : absl::StrCat("; workspace ", api.settings().workspace_id,
                           " offers ", absl::StrJoin(shapes, ", "))));
  }
  std::string node_group = Option(spec.options, "dedicated_node_group");
  if (node_group.empty()) node_group = options_.node_group;
  if (!node_group.empty()) {
    absl::StatusOr<std::string> id = NodeGroupId(api, node_group);
    if (!id.ok()) return id.status();
    in.node_group_ids = {*id};
  }
  in.shared_memory_mib = options_.shared_memory_mib;
  if (auto it = spec.env.find(kSharedMemoryEnv); it != spec.env.end()) {
    if (!absl::SimpleAtoi(it->second, &in.shared_memory_mib) ||
        in.shared_memory_mib <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("env.", kSharedMemoryEnv, ": \"", it->second,
                       "\" is not a size in MiB (a positive whole number)"));
    }
  }
  return in;
}

absl::StatusOr<std::vector<std::string>> LeptonPlatform::PullSecretsFor(
    LeptonApi& api, const std::string& image) {
  if (!IsNvcrImage(image)) return std::vector<std::string>();
  const std::string& name = options_.image_pull_secret;
  absl::StatusOr<json> listed = api.Get("/imagepullsecrets");
  if (!listed.ok()) return listed.status();
  bool exists = false;
  if (listed->is_array()) {
    for (const json& secret : *listed) {
      const json& metadata = Member(secret, "metadata");
      // [T] matches metadata.id.
      exists = exists || StringAt(metadata, "id") == name ||
               StringAt(metadata, "name") == name;
    }
  }
  if (exists) return std::vector<std::string>{name};
  if (options_.ngc_api_key.empty()) {
    // A public nvcr.io image needs none; a private one fails its pull,
    // and that error says what to set.
    return std::vector<std::string>();
  }
  const json body = {{"metadata", {{"name", name}, {"id", name}}},
                     {"spec",
                      {{"registry_server", "https://nvcr.io"},
                       {"username", "$oauthtoken"},
                       {"password", options_.ngc_api_key}}}};
  absl::StatusOr<json> created = api.Post("/imagepullsecrets", body);
  // 409: another launch made it a moment ago.
  if (!created.ok() && !absl::IsAlreadyExists(created.status())) {
    return created.status();
  }
  return std::vector<std::string>{name};
}

absl::StatusOr<std::map<std::string, std::string>>
LeptonPlatform::CreateSecrets(LeptonApi& api, const std::string& deployment,
                              const LaunchSpec& spec) {
  std::map<std::string, std::string> refs;
  if (spec.secret_env.empty()) return refs;
  json body = json::array();
  for (const auto& [variable, value] : spec.secret_env) {
    const std::string name =
        absl::StrCat(deployment, "-", SecretSuffix(variable));
    refs[variable] = name;
    body.push_back({{"name", name}, {"value", value}});
  }
  // An existing name is overwritten (a retried launch): no 409 to handle.
  absl::StatusOr<json> created = api.Post("/usersecrets", body);
  if (!created.ok()) return created.status();
  return refs;
}

absl::Status LeptonPlatform::CreateDeployment(LeptonApi& api,
                                              const DeploymentInputs& in) {
  absl::StatusOr<json> body = DeploymentBody(in);
  if (!body.ok()) return body.status();
  absl::StatusOr<json> created = api.Post("/deployments", *body);
  if (created.ok() || !absl::IsAlreadyExists(created.status())) {
    return created.status();
  }
  absl::StatusOr<json> existing = api.Get(DeploymentPath(in.name));
  if (existing.ok() && StringAt(Member(Member(*existing, "metadata"), "labels"),
                                kLabelJobId) == in.job_id) {
    RememberToken(in.job_id, *existing);
    return absl::OkStatus();
  }
  return created.status();
}

void LeptonPlatform::RememberToken(const std::string& job_id,
                                   const json& deployment) {
  const std::string token = TokenOf(deployment);
  absl::MutexLock lock(&mu_);
  tokens_[job_id] = token;
}

absl::StatusOr<LeptonPlatform::Observed> LeptonPlatform::Observe(
    LeptonApi& api, const std::string& name) {
  Observed seen;
  absl::StatusOr<json> deployment = api.Get(DeploymentPath(name));
  if (absl::IsNotFound(deployment.status())) {
    seen.state = DeploymentState(json(), json(), json());
    seen.state.detail =
        absl::StrCat("Lepton has no deployment ", name, " (it was deleted)");
    return seen;
  }
  if (!deployment.ok()) return deployment.status();
  seen.deployment = *std::move(deployment);
  absl::StatusOr<json> readiness =
      api.Get(absl::StrCat(DeploymentPath(name), "/readiness"));
  if (!readiness.ok() && !absl::IsNotFound(readiness.status())) {
    return readiness.status();
  }
  absl::StatusOr<json> termination =
      api.Get(absl::StrCat(DeploymentPath(name), "/termination"));
  if (!termination.ok() && !absl::IsNotFound(termination.status())) {
    return termination.status();
  }
  seen.state =
      DeploymentState(seen.deployment, readiness.ok() ? *readiness : json(),
                      termination.ok() ? *termination : json());
  return seen;
}

absl::StatusOr<std::string> LeptonPlatform::LogTail(LeptonApi& api,
                                                    const std::string& name,
                                                    int lines) {
  Query query = {{"deployment", name}};
  absl::StatusOr<json> replicas =
      api.Get(absl::StrCat(DeploymentPath(name), "/replicas"));
  if (replicas.ok() && replicas->is_array() && !replicas->empty()) {
    const std::string replica = StringAt((*replicas)[0], "id");
    if (!replica.empty()) query.push_back({"replica", replica});
  }
  // The history route wants a window in Unix nanoseconds ([S] cli/log.py
  // asks for the last hours); a month covers a service's life.
  const absl::Time now = absl::Now();
  query.push_back(
      {"start", absl::StrCat(absl::ToUnixNanos(now - absl::Hours(24 * 30)))});
  query.push_back({"end", absl::StrCat(absl::ToUnixNanos(now))});
  query.push_back({"direction", "backward"});
  query.push_back({"limit", absl::StrCat(lines > 0 ? lines : 5000)});
  query.push_back({"q", ""});
  absl::StatusOr<json> answer = api.Get("/logs", query);
  if (!answer.ok()) return answer.status();
  // Loki's streams, newest first: each value is ["<ns>", "<line>"].
  std::vector<std::pair<std::string, std::string>> values;
  const json& result = Member(Member(*answer, "data"), "result");
  if (result.is_array()) {
    for (const json& stream : result) {
      const json& pairs = Member(stream, "values");
      if (!pairs.is_array()) continue;
      for (const json& pair : pairs) {
        if (pair.is_array() && pair.size() == 2 && pair[0].is_string() &&
            pair[1].is_string()) {
          values.emplace_back(pair[0].get<std::string>(),
                              pair[1].get<std::string>());
        }
      }
    }
  }
  // Oldest first; same-length decimal strings compare as numbers.
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
    return a.first.size() != b.first.size() ? a.first.size() < b.first.size()
                                            : a.first < b.first;
  });
  if (lines > 0 && values.size() > static_cast<size_t>(lines)) {
    values.erase(values.begin(), values.end() - lines);
  }
  std::string text;
  for (const auto& [ns, line] : values) {
    absl::StrAppend(&text, line, absl::EndsWith(line, "\n") ? "" : "\n");
  }
  return text;
}

absl::StatusOr<json> LeptonPlatform::AwaitReady(
    LeptonApi& api, const LaunchSpec& spec, const std::string& name,
    const ProgressCallback& progress) {
  absl::Duration interval = options_.poll_min;
  std::string last_detail;
  while (true) {
    absl::StatusOr<Observed> seen = Observe(api, name);
    if (!seen.ok()) return seen.status();
    switch (seen->state.phase) {
      case Phase::kRunning:
        return seen->deployment;
      case Phase::kExited: {
        std::string why = seen->state.detail;
        absl::StatusOr<std::string> tail =
            LogTail(api, name, options_.failure_log_lines);
        if (tail.ok() && !tail->empty()) {
          absl::StrAppend(&why, "; last output:\n", *tail);
        }
        return absl::FailedPreconditionError(absl::StrCat(
            "Lepton deployment ", name, " in workspace ",
            api.settings().workspace_id,
            " failed: ", Redactor::ForValues(spec.secret_env).Redact(why)));
      }
      case Phase::kMissing:
        return absl::FailedPreconditionError(absl::StrCat(
            "Lepton deployment ", name, " disappeared while it was starting (",
            seen->state.detail, ")"));
      case Phase::kPending:
      case Phase::kUnknown:
        break;
    }
    if (seen->state.detail != last_detail) {
      last_detail = seen->state.detail;
      ReportProgress(
          progress, ProgressEvent::Phase::kStarting,
          absl::StrCat("Lepton deployment ", name, ": ", last_detail));
    }
    if (!PauseLaunch(spec, interval, options_.poll_max)) {
      if (LaunchCancelled(spec)) return CancelledLaunch(name);
      return absl::DeadlineExceededError(absl::StrCat(
          "Lepton deployment ", name, " was not ready by the start deadline (",
          last_detail, ")"));
    }
  }
}

absl::StatusOr<Placement> LeptonPlatform::Launch(
    const LaunchSpec& spec, const ProgressCallback& progress) {
  absl::StatusOr<LeptonApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::StatusOr<json> workspace = (*api)->Preflight();
  if (!workspace.ok()) return workspace.status();
  absl::StatusOr<DeploymentInputs> in = InputsFor(**api, spec, *workspace);
  if (!in.ok()) return in.status();
  if (LaunchCancelled(spec)) return CancelledLaunch(in->name);
  if (absl::Now() >= spec.deadline) {
    return absl::DeadlineExceededError(
        "the Start deadline passed before the Lepton deployment was created");
  }

  Placement placement;
  placement.job_id = spec.job_id;
  placement.platform_job_id = in->name;
  placement.attributes["workspace"] = (*api)->settings().workspace_id;
  auto fail = [&](absl::Status error) -> absl::Status {
    if (absl::Status removed = Terminate(placement); !removed.ok()) {
      return absl::Status(
          error.code(),
          absl::StrCat(error.message(),
                       "; removing the deployment and its secrets failed "
                       "too: ",
                       removed.message()));
    }
    return error;
  };

  absl::StatusOr<std::vector<std::string>> pull_secrets =
      PullSecretsFor(**api, in->image);
  if (!pull_secrets.ok()) return pull_secrets.status();
  in->image_pull_secrets = *pull_secrets;
  absl::StatusOr<std::map<std::string, std::string>> refs =
      CreateSecrets(**api, in->name, spec);
  if (!refs.ok()) return fail(refs.status());
  in->secret_env_refs = *refs;
  for (const auto& [variable, secret] : in->secret_env_refs) {
    in->env.erase(variable);  // a secret never goes in as a plain value
  }
  absl::StatusOr<std::string> token = NewApiToken();
  if (!token.ok()) return fail(token.status());
  in->api_token = *token;
  {
    absl::MutexLock lock(&mu_);
    tokens_[spec.job_id] = *token;
  }
  if (absl::Status s = CreateDeployment(**api, *in); !s.ok()) return fail(s);
  // A server killed before this report finds the deployment by its labels
  // (ListOwned), or its secrets by the name the job id gives (Reattach).
  ReportPlacement(progress,
                  absl::StrCat("created Lepton deployment ", in->name, " (",
                               in->resource_shape, ") in workspace ",
                               (*api)->settings().workspace_id),
                  placement);

  absl::StatusOr<json> ready = AwaitReady(**api, spec, in->name, progress);
  if (!ready.ok()) return fail(ready.status());
  placement.host_url = EndpointOf(*ready);
  if (placement.host_url.empty()) {
    return fail(absl::InternalError(
        absl::StrCat("Lepton deployment ", in->name,
                     " is Ready but its status has no external endpoint")));
  }
  ReportProgress(progress, ProgressEvent::Phase::kStarting,
                 absl::StrCat("Lepton deployment ", in->name, " is Ready at ",
                              placement.host_url));
  return placement;
}

absl::StatusOr<RuntimeState> LeptonPlatform::Inspect(
    const Placement& placement) {
  const std::string name = DeploymentOf(placement);
  if (name.empty()) {
    RuntimeState state;
    state.phase = Phase::kMissing;
    state.detail = "no Lepton deployment name was recorded";
    return state;
  }
  absl::StatusOr<LeptonApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::StatusOr<Observed> seen = Observe(**api, name);
  if (!seen.ok()) return seen.status();
  return seen->state;
}

absl::StatusOr<RuntimeState> LeptonPlatform::EnsureReachable(
    Placement& placement) {
  const std::string name = DeploymentOf(placement);
  if (!placement.host_url.empty() || name.empty()) return Inspect(placement);
  absl::StatusOr<LeptonApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::StatusOr<Observed> seen = Observe(**api, name);
  if (!seen.ok()) return seen.status();
  if (seen->state.phase == Phase::kRunning) {
    placement.platform_job_id = name;
    placement.host_url = EndpointOf(seen->deployment);
    RememberToken(placement.job_id, seen->deployment);
  }
  return seen->state;
}

absl::StatusOr<RuntimeState> LeptonPlatform::Reattach(Placement& placement) {
  absl::StatusOr<RuntimeState> state = EnsureReachable(placement);
  const std::string name = DeploymentOf(placement);
  if (!state.ok() || state->phase != Phase::kMissing || name.empty()) {
    return state;
  }
  // Only once the deployment is gone (not while it is Deleting, when its
  // secrets are still in use).
  absl::StatusOr<LeptonApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::StatusOr<json> deployment = (*api)->Get(DeploymentPath(name));
  if (absl::IsNotFound(deployment.status())) {
    if (absl::Status s = DeleteSecretsOf(**api, name); !s.ok()) return s;
  }
  return state;
}

absl::StatusOr<std::vector<std::string>> LeptonPlatform::EndpointHeaders(
    const Placement& placement) {
  {
    absl::MutexLock lock(&mu_);
    auto it = tokens_.find(placement.job_id);
    if (it != tokens_.end()) {
      if (it->second.empty()) return std::vector<std::string>();
      return std::vector<std::string>{
          absl::StrCat("Authorization: Bearer ", it->second)};
    }
  }
  // A deployment an earlier server process made: its spec holds the token.
  absl::StatusOr<LeptonApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::StatusOr<json> deployment =
      (*api)->Get(DeploymentPath(DeploymentOf(placement)));
  if (!deployment.ok()) return deployment.status();
  RememberToken(placement.job_id, *deployment);
  return EndpointHeaders(placement);
}

absl::Status LeptonPlatform::DeleteSecretsOf(LeptonApi& api,
                                             const std::string& deployment) {
  absl::StatusOr<json> secrets = api.Get("/usersecrets");
  if (!secrets.ok()) return secrets.status();
  if (!secrets->is_array()) return absl::OkStatus();
  const std::string prefix = absl::StrCat(deployment, "-");
  for (const json& secret : *secrets) {
    const std::string name = StringAt(secret, "name");
    if (!absl::StartsWith(name, prefix)) continue;
    absl::Status s = api.Delete(absl::StrCat("/usersecrets/", name));
    if (!s.ok() && !absl::IsNotFound(s)) return s;
  }
  return absl::OkStatus();
}

absl::Status LeptonPlatform::Terminate(const Placement& placement) {
  {
    absl::MutexLock lock(&mu_);
    tokens_.erase(placement.job_id);
  }
  const std::string name = DeploymentOf(placement);
  if (name.empty()) return absl::OkStatus();  // nothing was created
  absl::StatusOr<LeptonApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::Status deleted = (*api)->Delete(DeploymentPath(name));
  if (!deleted.ok() && !absl::IsNotFound(deleted)) return deleted;
  // Deleting lasts a while (state Deleting, then 404); its secrets are in
  // use until it is gone.
  const absl::Time give_up = absl::Now() + options_.delete_wait;
  absl::Duration interval = options_.poll_min;
  while (true) {
    absl::StatusOr<json> still = (*api)->Get(DeploymentPath(name));
    if (absl::IsNotFound(still.status())) break;
    if (!still.ok()) return still.status();
    if (absl::Now() >= give_up) {
      return absl::UnavailableError(absl::StrCat(
          "Lepton deployment ", name, " was still there ",
          absl::FormatDuration(options_.delete_wait),
          " after it was deleted (state \"",
          StringAt(Member(*still, "status"), "state"), "\"); its user secrets ",
          name, "-* were kept; stop it again later"));
    }
    absl::SleepFor(interval);
    interval = std::min(interval * 2, options_.poll_max);
  }
  return DeleteSecretsOf(**api, name);
}

absl::StatusOr<std::string> LeptonPlatform::Logs(const Placement& placement,
                                                 int tail_lines) {
  absl::StatusOr<LeptonApi*> api = Api();
  if (!api.ok()) return api.status();
  const std::string name = DeploymentOf(placement);
  absl::StatusOr<json> deployment = (*api)->Get(DeploymentPath(name));
  if (!deployment.ok()) return deployment.status();
  return LogTail(**api, name, tail_lines);
}

absl::StatusOr<std::vector<OwnedWorkload>> LeptonPlatform::ListOwned(
    absl::string_view server_instance) {
  absl::StatusOr<LeptonApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::StatusOr<json> deployments = (*api)->Get("/deployments");
  if (!deployments.ok()) return deployments.status();
  std::vector<OwnedWorkload> owned;
  if (!deployments->is_array()) return owned;
  for (const json& deployment : *deployments) {
    const json& metadata = Member(deployment, "metadata");
    const json& labels = Member(metadata, "labels");
    if (StringAt(labels, kLabelManagedBy) != kManagedByValue ||
        StringAt(labels, kLabelServerInstance) != server_instance) {
      continue;
    }
    std::string name = StringAt(metadata, "name");
    if (name.empty()) name = StringAt(metadata, "id");
    OwnedWorkload workload;
    workload.job_id = StringAt(labels, kLabelJobId);
    workload.network_arch = StringAt(labels, kLabelNetworkArch);
    workload.detail =
        absl::StrCat("Lepton deployment ", name, " (state \"",
                     StringAt(Member(deployment, "status"), "state"),
                     "\") in workspace ", (*api)->settings().workspace_id,
                     "; delete it with `lep endpoint remove -n ", name, "`");
    workload.placement.job_id = workload.job_id;
    workload.placement.platform_job_id = name;
    workload.placement.host_url = EndpointOf(deployment);
    workload.placement.attributes["workspace"] =
        (*api)->settings().workspace_id;
    owned.push_back(std::move(workload));
  }
  return owned;
}

}  // namespace tao::platforms::lepton
