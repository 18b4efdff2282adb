#include "server/core/service_manager.h"

#include <unistd.h>

#include <cstdlib>
#include <map>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platforms/common/log.h"
#include "platforms/common/ports.h"
#include "proto/support/platform_options.h"
#include "server/core/common/errors.h"
#include "server/core/common/ids.h"
#include "server/core/common/service_convert.h"
#include "server/core/entry_update.h"
#include "server/core/launch_options.h"
#include "server/core/placement.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;

std::optional<std::string> ProcessEnv(absl::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// Options::server_instance, else TAO_SERVER_INSTANCE, else the host name.
std::string ServerInstance(const ServiceManager::Options& options) {
  if (!options.server_instance.empty()) return options.server_instance;
  std::optional<std::string> set = options.getenv("TAO_SERVER_INSTANCE");
  if (set.has_value() && !set->empty()) return *set;
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "unknown-host";
  return name;
}

// The catalog's inner command for `inputs` on `container_port`; never an
// empty one.
absl::StatusOr<std::string> InnerCommandFor(const catalog::Catalog& catalog,
                                            catalog::CommandInputs inputs,
                                            int container_port) {
  inputs.container_port = container_port;
  absl::StatusOr<std::string> command = catalog.InnerCommand(inputs);
  if (command.ok() && command->empty()) {
    return absl::InternalError(
        absl::StrCat("the catalog has no command for ", inputs.network_arch));
  }
  return command;
}

// A driver's refusal of a request's platform options, with a field
// violation naming the options message (the driver's words name the
// option itself, e.g. "slurm.partition: ...").
absl::Status OptionsRefused(absl::string_view platform,
                            const absl::Status& refusal) {
  if (!absl::IsInvalidArgument(refusal)) return refusal;
  const google::protobuf::FieldDescriptor* field =
      inference::PlatformOptionsField(platform);
  v1::ErrorDetails details;
  details.set_reason_code(v1::ERROR_REASON_INVALID_FIELD);
  v1::FieldViolation* violation = details.add_field_violations();
  violation->set_field(field != nullptr ? field->name() : "platform_options");
  violation->set_description(std::string(refusal.message()));
  return WithDetails(refusal, details);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServiceManager>> ServiceManager::Create(
    Options options) {
  if (options.registry == nullptr || options.catalog == nullptr ||
      options.platforms == nullptr || options.backend == nullptr) {
    return absl::InvalidArgumentError(
        "ServiceManager needs a registry, a catalog, platforms and a backend "
        "client");
  }
  if (options.first_service_port < 1 || options.last_service_port > 65535 ||
      options.first_service_port > options.last_service_port) {
    return absl::InvalidArgumentError(absl::StrCat(
        "service port range ", options.first_service_port, "-",
        options.last_service_port, " is not a range of TCP ports"));
  }
  if (!options.getenv) options.getenv = ProcessEnv;
  if (!options.port_bindable) {
    options.port_bindable = [](int port) {
      return platforms::IsPortBindable(port, "0.0.0.0");
    };
  }
  return std::unique_ptr<ServiceManager>(
      new ServiceManager(std::move(options)));
}

platforms::Redactor ServiceManager::SecretRedactor(
    const catalog::Catalog& catalog,
    const std::function<std::optional<std::string>(absl::string_view)>&
        getenv) {
  std::vector<std::string> values;
  for (const std::string& name : catalog.secret_names()) {
    auto value = getenv ? getenv(name) : ProcessEnv(name);
    if (value.has_value() && !value->empty()) values.push_back(*value);
  }
  return platforms::Redactor(std::move(values));
}

ServiceManager::ServiceManager(Options options)
    : options_(std::move(options)),
      server_instance_(ServerInstance(options_)),
      redactor_(SecretRedactor(*options_.catalog, options_.getenv)),
      ports_(options_.port_bindable, options_.first_service_port,
             options_.last_service_port) {}

std::optional<std::string> ServiceManager::GetEnv(
    absl::string_view name) const {
  return options_.getenv(name);
}

absl::Status ServiceManager::RefuseSecrets(const v1::StartRequest& request) {
  // Every free-text field a client controls, by field path.
  std::vector<std::pair<std::string, std::string>> fields = {
      {"model_path", request.model_path()},
      {"model_key", request.model_key()},
      {"image", request.image()},
      {"request_id", request.request_id()}};
  for (const auto& [name, value] : request.env()) {
    fields.push_back({absl::StrCat("env.", name), value});
  }
  absl::StatusOr<std::map<std::string, std::string>> options =
      LaunchOptions(request);
  if (options.ok()) {
    for (const auto& [name, value] : *options) fields.push_back({name, value});
  }
  for (const std::string& secret : options_.catalog->secret_names()) {
    std::optional<std::string> value = GetEnv(secret);
    if (!value.has_value() || !platforms::Redactor::IsSecretWorthy(*value)) {
      continue;
    }
    for (const auto& [field, text] : fields) {
      if (absl::StrContains(text, *value)) {
        return InvalidField(
            field, absl::StrCat("contains the value of the secret ", secret,
                                "; secrets are never sent in requests: set ",
                                secret, " in tao-inferd's environment"));
      }
    }
  }
  for (const auto& [name, value] : request.env()) {
    const std::string field = absl::StrCat("env.", name);
    if (options_.catalog->IsSecretName(name)) {
      return InvalidField(field,
                          absl::StrCat(name,
                                       " is a secret; set it in tao-inferd's "
                                       "environment (export ",
                                       name, "=...) instead of sending it"));
    }
    if (options_.catalog->IsForbiddenEnv(name)) {
      return InvalidField(field, absl::StrCat(name,
                                              " must not be set for an "
                                              "inference service"));
    }
    if (!options_.catalog->IsAllowedExtraEnv(name)) {
      return InvalidField(field, absl::StrCat(name,
                                              " is not on the allow-list of "
                                              "container variables"));
    }
  }
  return absl::OkStatus();
}

absl::Status ServiceManager::ValidateStart(const v1::StartRequest& request,
                                           platforms::Platform** platform) {
  // First, so that no later message can echo a secret sent by mistake.
  if (absl::Status s = RefuseSecrets(request); !s.ok()) return s;
  if (request.network_arch().empty()) {
    return InvalidField(
        "network_arch",
        absl::StrCat("required; one of ",
                     absl::StrJoin(options_.catalog->architectures(), ", ")));
  }
  if (absl::StatusOr<const catalog::ArchRules*> rules =
          options_.catalog->Rules(request.network_arch());
      !rules.ok()) {
    return InvalidField("network_arch", rules.status().message());
  }
  if (request.platform().empty()) {
    return InvalidField(
        "platform",
        absl::StrCat("required; this server offers ",
                     absl::StrJoin(options_.platforms->names(), ", ")));
  }
  absl::StatusOr<platforms::Platform*> found =
      options_.platforms->Find(request.platform());
  if (!found.ok()) return InvalidField("platform", found.status().message());
  *platform = *found;
  if (request.has_num_gpus() && request.num_gpus() < 1) {
    return InvalidField("num_gpus", "must be at least 1 for inference");
  }
  if (request.host_port() < 0 || request.host_port() > 65535) {
    return InvalidField("host_port", "must be 0 (allocate) or a TCP port");
  }
  if (absl::Status s = options_.catalog->ValidateModelPath(
          request.network_arch(), request.model_path(), request.model_key());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::map<std::string, std::string>> options =
      LaunchOptions(request);
  if (!options.ok()) return options.status();
  // Before anything is reserved or started.
  if (absl::Status s = (*found)->ValidateOptions(*options); !s.ok()) {
    return OptionsRefused(request.platform(), s);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::StartResponse> ServiceManager::ReplayStart(
    const std::string& request_id) {
  absl::StatusOr<registry::RegistryState> state = options_.registry->Read();
  if (!state.ok()) return state.status();
  for (const auto& [job_id, entry] : state->entries()) {
    if (entry.request_id == request_id) {
      v1::StartResponse response;
      *response.mutable_service() =
          ToProto(entry, state->latest().value_or(""));
      response.set_replayed(true);
      return response;
    }
  }
  return absl::NotFoundError("no earlier Start with this request_id");
}

absl::StatusOr<v1::StartResponse> ServiceManager::Start(
    const v1::StartRequest& request, absl::Time deadline,
    const Progress& progress) {
  platforms::Platform* platform = nullptr;
  if (absl::Status s = ValidateStart(request, &platform); !s.ok()) return s;

  // Idempotency: one Start per request_id, ever.
  if (!request.request_id().empty()) {
    {
      absl::MutexLock lock(&mu_);
      if (!starts_in_flight_.insert(request.request_id()).second) {
        return absl::AbortedError(
            absl::StrCat("a Start with request_id ", request.request_id(),
                         " is in progress; retry it to get its result"));
      }
    }
    absl::StatusOr<v1::StartResponse> replay =
        ReplayStart(request.request_id());
    if (replay.ok() || !absl::IsNotFound(replay.status())) {
      absl::MutexLock lock(&mu_);
      starts_in_flight_.erase(request.request_id());
      return replay;
    }
  }
  absl::Cleanup forget_request = [&] {
    if (request.request_id().empty()) return;
    absl::MutexLock lock(&mu_);
    starts_in_flight_.erase(request.request_id());
  };

  const std::string job_id = NewJobId();
  std::string image = request.image();
  if (image.empty()) {
    absl::StatusOr<std::string> resolved =
        options_.catalog->ResolveImage(request.network_arch());
    if (!resolved.ok()) return resolved.status();
    image = *resolved;
  }

  platforms::LaunchSpec spec;
  spec.job_id = job_id;
  spec.network_arch = request.network_arch();
  spec.image = image;
  spec.num_gpus = request.has_num_gpus() ? request.num_gpus() : 1;
  spec.deadline = deadline;
  spec.options = *LaunchOptions(request);  // validated above
  spec.server_instance = server_instance_;
  catalog::EnvPayload payload = options_.catalog->MakeEnvPayload(
      request.network_arch(), platform->execution_backend(), job_id);
  std::map<std::string, std::string> extra_env(request.env().begin(),
                                               request.env().end());
  for (const auto& [name, value] : extra_env) payload.push_back({name, value});
  for (const auto& [name, value] : payload) spec.env[name] = value;
  for (const std::string& secret : options_.catalog->secret_names()) {
    if (auto value = GetEnv(secret); value.has_value() && !value->empty()) {
      spec.secret_env[secret] = *value;
    }
  }
  catalog::CommandInputs inputs{
      request.network_arch(), job_id,  request.model_path(),
      request.model_key(),    payload, platforms::kDefaultContainerPort};
  // Build once now so that a bad input fails before anything starts.
  if (absl::StatusOr<std::string> command = InnerCommandFor(
          *options_.catalog, inputs, platforms::kDefaultContainerPort);
      !command.ok()) {
    return command.status();
  }
  const catalog::Catalog* catalog = options_.catalog;
  spec.inner_command = [catalog, inputs](int container_port) {
    return InnerCommandFor(*catalog, inputs, container_port);
  };

  // Host port: reserved until the registry entry holds it.
  const std::string scope = platform->HostPortScope(spec);
  int reserved_port = 0;
  if (!scope.empty()) {
    absl::StatusOr<registry::RegistryState> state = options_.registry->Read();
    if (!state.ok()) return state.status();
    absl::StatusOr<int> port =
        ports_.Reserve(scope, request.host_port(), PortsInScope(*state, scope));
    if (!port.ok()) return port.status();
    reserved_port = *port;
    spec.host_port = *port;
  }
  absl::Cleanup release_port = [&] {
    if (reserved_port != 0) ports_.Release(scope, reserved_port);
  };

  if (absl::Now() >= deadline) {
    return absl::DeadlineExceededError(
        "the Start deadline passed before launch");
  }

  // The registry knows the service before anything can run.
  registry::ServiceEntry entry;
  entry.job_id = job_id;
  entry.platform = request.platform();
  entry.network_arch = request.network_arch();
  entry.started_at = IsoTimestamp(absl::Now());
  entry.image = image;
  entry.model_path = request.model_path();
  entry.num_gpus = spec.num_gpus;
  entry.request_id = request.request_id();
  entry.state = std::string(StateName(v1::SERVICE_STATE_PENDING));
  entry.reason = std::string(kLaunchingReason);
  if (reserved_port != 0) entry.host_port = reserved_port;
  if (absl::Status s =
          options_.registry->Mutate([&](registry::RegistryState& state) {
            state.Put(entry);
            return absl::OkStatus();
          });
      !s.ok()) {
    return s;
  }
  launches_.Begin(job_id);
  platforms::LogInfo(absl::StrCat(
      "start ", job_id, ": launching ", request.network_arch(), " on ",
      request.platform(), " with image ", image,
      reserved_port ? absl::StrCat(" on port ", reserved_port) : "",
      request.return_on_accept() ? " (in the background)" : ""));

  if (request.return_on_accept()) {
    // The call's deadline bounds the call, not the launch it leaves behind.
    spec.deadline = absl::Now() + options_.background_launch_timeout;
    std::move(release_port).Cancel();  // the background launch releases it
    LaunchInBackground(*platform, std::move(spec), entry, scope, reserved_port);
    v1::StartResponse response;
    *response.mutable_service() = ToProto(entry, job_id);
    return response;
  }
  absl::StatusOr<registry::ServiceEntry> launched =
      RunLaunch(*platform, std::move(spec), std::move(entry), progress,
                OnLaunchFailure::kRemoveEntry);
  if (!launched.ok()) return launched.status();
  v1::StartResponse response;
  *response.mutable_service() = ToProto(*launched, job_id);
  return response;
}

absl::StatusOr<registry::ServiceEntry> ServiceManager::FindEntry(
    const std::string& job_id) {
  absl::StatusOr<registry::RegistryState> state = options_.registry->Read();
  if (!state.ok()) return state.status();
  const registry::ServiceEntry* entry = state->Find(job_id);
  if (entry == nullptr) {
    v1::ErrorDetails details;
    details.set_reason_code(v1::ERROR_REASON_NO_SERVICE);
    for (const auto& [id, e] : state->entries()) {
      *details.add_candidates() = ToProto(e, state->latest().value_or(""));
    }
    return WithDetails(
        absl::NotFoundError(absl::StrCat(
            "no service with job_id ", job_id,
            " in the registry; `tao-infer list` shows the running ones")),
        details);
  }
  return *entry;
}

void ServiceManager::RecordState(const std::string& job_id,
                                 v1::ServiceState state,
                                 const std::string& reason) {
  const std::string name(StateName(state));
  absl::Status s = UpdateEntry(*options_.registry, job_id,
                               [&](registry::ServiceEntry& entry) {
                                 entry.state = name;
                                 entry.reason = reason;
                               });
  if (!s.ok()) {
    platforms::LogWarning(absl::StrCat("could not record state ", name, " of ",
                                       job_id, ": ", s.message()));
  }
}

void ServiceManager::StoreChangedPlacement(
    const std::string& job_id, const platforms::Placement& placement) {
  absl::Status s = UpdateEntry(
      *options_.registry, job_id,
      [&](registry::ServiceEntry& entry) { StorePlacement(placement, entry); });
  if (!s.ok()) {
    platforms::LogWarning(absl::StrCat(
        "could not record the new placement of ", job_id,
        " (a restart may not find what reaches it): ", s.message()));
  }
}

absl::StatusOr<platforms::RuntimeState> ServiceManager::EnsureReachable(
    platforms::Platform& platform, const std::string& job_id,
    platforms::Placement& placement) {
  const platforms::Placement before = placement;
  absl::StatusOr<platforms::RuntimeState> runtime =
      platform.EnsureReachable(placement);
  if (!SamePlacement(before, placement)) {
    StoreChangedPlacement(job_id, placement);
  }
  return runtime;
}

std::set<int> ServiceManager::PortsInScope(const registry::RegistryState& state,
                                           const std::string& scope) {
  std::set<int> used;
  for (const auto& [id, entry] : state.entries()) {
    if (!entry.host_port.has_value()) continue;
    // An entry of a platform this server does not offer has no known
    // scope; its port is free for this server's pool.
    absl::StatusOr<platforms::Platform*> platform =
        options_.platforms->Find(entry.platform);
    if (platform.ok() &&
        (*platform)->HostPortScopeOf(PlacementOf(entry)) == scope) {
      used.insert(*entry.host_port);
    }
  }
  return used;
}

absl::StatusOr<platforms::Platform*> ServiceManager::PlatformOf(
    const registry::ServiceEntry& entry) {
  absl::StatusOr<platforms::Platform*> platform =
      options_.platforms->Find(entry.platform);
  if (!platform.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "service ", entry.job_id, " runs on platform ", entry.platform,
        ", which this server does not offer; use a server that does"));
  }
  return platform;
}

absl::StatusOr<v1::StopResponse> ServiceManager::Stop(
    const v1::StopRequest& request) {
  if (request.job_id().empty()) {
    return InvalidField("job_id",
                        "required: name the service to stop (`tao-infer list` "
                        "shows them; the registry's latest is a hint only)");
  }
  absl::StatusOr<registry::ServiceEntry> entry = FindEntry(request.job_id());
  if (!entry.ok()) return entry.status();
  absl::StatusOr<platforms::Platform*> platform = PlatformOf(*entry);
  if (!platform.ok()) return platform.status();
  // A launch in flight gives up first; then its entry holds all it made.
  if (absl::Status s = CancelLaunch(entry->job_id); !s.ok()) return s;
  if (absl::StatusOr<registry::ServiceEntry> after = FindEntry(entry->job_id);
      after.ok()) {
    entry = *std::move(after);
  } else if (!absl::IsNotFound(after.status())) {
    return after.status();
  }  // NOT_FOUND: the launch failed and removed it; Terminate is a no-op.
  if (absl::Status s = (*platform)->Terminate(PlacementOf(*entry)); !s.ok()) {
    return absl::Status(s.code(),
                        absl::StrCat("could not stop ", entry->job_id, ": ",
                                     redactor_.Redact(s.message()),
                                     " (the registry entry is kept)"));
  }
  std::string latest;
  absl::Status s = options_.registry->Mutate([&](registry::RegistryState& st) {
    st.Remove(entry->job_id);
    latest = st.latest().value_or("");
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  v1::StopResponse response;
  *response.mutable_service() = ToProto(*entry);
  response.mutable_service()->set_state(v1::SERVICE_STATE_STOPPED);
  response.set_latest_job_id(latest);
  return response;
}

std::string ServiceManager::FailureReason(
    platforms::Platform& platform, const platforms::Placement& placement,
    const platforms::RuntimeState& runtime) {
  std::string reason =
      runtime.has_exit_code
          ? absl::StrCat("workload exited with exit code ", runtime.exit_code)
          : (runtime.detail.empty() ? "workload is gone" : runtime.detail);
  if (runtime.has_exit_code && !runtime.detail.empty()) {
    absl::StrAppend(&reason, " (", runtime.detail, ")");
  }
  absl::StatusOr<std::string> logs =
      platform.Logs(placement, options_.failure_log_lines);
  if (logs.ok() && !logs->empty()) {
    absl::StrAppend(&reason, "; last output:\n", *logs);
  }
  return redactor_.Redact(reason);
}

v1::Service ServiceManager::Refresh(const registry::ServiceEntry& entry,
                                    absl::string_view latest) {
  v1::Service service = ToProto(entry, latest);
  // A launch in flight knows more than the platform can tell yet.
  if (std::optional<LaunchProgress> launch = launches_.Find(entry.job_id)) {
    service.set_state(v1::SERVICE_STATE_PENDING);
    service.set_reason(launch->message);
    return service;
  }
  absl::StatusOr<platforms::Platform*> platform =
      options_.platforms->Find(entry.platform);
  if (!platform.ok()) {
    service.set_state(v1::SERVICE_STATE_UNKNOWN);
    service.set_reason("platform not offered by this server");
    return service;
  }
  platforms::Placement placement = PlacementOf(entry);
  absl::StatusOr<platforms::RuntimeState> runtime =
      EnsureReachable(**platform, entry.job_id, placement);
  return WithRuntime(std::move(service), **platform, placement, runtime);
}

v1::Service ServiceManager::WithRuntime(
    v1::Service service, platforms::Platform& platform,
    const platforms::Placement& placement,
    const absl::StatusOr<platforms::RuntimeState>& runtime) {
  if (!runtime.ok()) {
    service.set_state(v1::SERVICE_STATE_UNKNOWN);
    service.set_reason(redactor_.Redact(runtime.status().message()));
    return service;
  }
  using Phase = platforms::RuntimeState::Phase;
  switch (runtime->phase) {
    case Phase::kPending:
      service.set_state(v1::SERVICE_STATE_PENDING);
      service.set_reason(redactor_.Redact(runtime->detail));
      break;
    case Phase::kRunning:
      if (service.state() == v1::SERVICE_STATE_UNKNOWN ||
          service.state() == v1::SERVICE_STATE_PENDING) {
        service.set_state(v1::SERVICE_STATE_STARTING);
      }
      break;
    case Phase::kExited:
      service.set_state(v1::SERVICE_STATE_FAILED);
      service.set_reason(FailureReason(platform, placement, *runtime));
      break;
    case Phase::kMissing:
      service.set_state(v1::SERVICE_STATE_STOPPED);
      service.set_reason(runtime->detail.empty() ? "workload is gone"
                                                 : runtime->detail);
      break;
    case Phase::kUnknown:
      service.set_state(v1::SERVICE_STATE_UNKNOWN);
      service.set_reason(redactor_.Redact(runtime->detail));
      break;
  }
  return service;
}

absl::StatusOr<v1::ListResponse> ServiceManager::List(
    const v1::ListRequest& request) {
  absl::StatusOr<registry::RegistryState> state = options_.registry->Read();
  if (!state.ok()) return state.status();
  const std::string latest = state->latest().value_or("");
  v1::ListResponse response;
  response.set_latest_job_id(latest);
  std::vector<const registry::ServiceEntry*> entries;
  for (const auto& [id, entry] : state->entries()) entries.push_back(&entry);
  // Oldest first, like the candidates of a refusal.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto* a, const auto* b) {
                     return a->started_at < b->started_at;
                   });
  for (const registry::ServiceEntry* entry : entries) {
    if (!request.network_arch().empty() &&
        entry->network_arch != request.network_arch()) {
      continue;
    }
    if (!request.platform().empty() && entry->platform != request.platform()) {
      continue;
    }
    *response.add_services() =
        request.refresh() ? Refresh(*entry, latest) : ToProto(*entry, latest);
  }
  return response;
}

absl::StatusOr<v1::Service> ServiceManager::Get(const v1::GetRequest& request) {
  if (request.job_id().empty()) return InvalidField("job_id", "required");
  absl::StatusOr<registry::RegistryState> state = options_.registry->Read();
  if (!state.ok()) return state.status();
  absl::StatusOr<registry::ServiceEntry> entry = FindEntry(request.job_id());
  if (!entry.ok()) return entry.status();
  const std::string latest = state->latest().value_or("");
  return request.refresh() ? Refresh(*entry, latest) : ToProto(*entry, latest);
}

}  // namespace tao::core
