#include "platforms/kubernetes/kubernetes_platform.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platforms/common/log.h"
#include "platforms/common/redactor.h"
#include "platforms/kubernetes/cluster_ip_forward.h"
#include "platforms/kubernetes/object_names.h"
#include "platforms/kubernetes/workload_status.h"
#include "platforms/launch_wait.h"

namespace tao::platforms::kubernetes {
namespace {

using json = nlohmann::json;
using Phase = RuntimeState::Phase;

constexpr absl::Duration kCleanupTimeout = absl::Seconds(30);

std::string JobsPath(const std::string& ns) {
  return absl::StrCat("/apis/batch/v1/namespaces/", ns, "/jobs");
}
std::string ServicesPath(const std::string& ns) {
  return absl::StrCat("/api/v1/namespaces/", ns, "/services");
}
std::string SecretsPath(const std::string& ns) {
  return absl::StrCat("/api/v1/namespaces/", ns, "/secrets");
}
std::string PodsPath(const std::string& ns) {
  return absl::StrCat("/api/v1/namespaces/", ns, "/pods");
}

absl::Status CheckServiceType(const std::string& type,
                              absl::string_view field) {
  if (type == "LoadBalancer" || type == "NodePort" || type == "ClusterIP") {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": \"", type,
                   "\" is not a Service type here; use LoadBalancer, NodePort "
                   "or ClusterIP"));
}

// A DNS-1123 label (namespace names): [a-z0-9]([-a-z0-9]*[a-z0-9])?, <= 63.
bool IsDns1123Label(absl::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return alnum(c) || c == '-'; });
}

std::string Option(const std::map<std::string, std::string>& options,
                   const std::string& key) {
  auto it = options.find(key);
  return it == options.end() ? std::string() : it->second;
}

absl::Status CancelledLaunch(const std::string& name) {
  return absl::CancelledError(absl::StrCat(
      "the launch of Job ", name,
      " was cancelled (the service was stopped or tao-inferd shut down); its "
      "objects were deleted"));
}

// The address a node is reached at: ExternalIP, else InternalIP, else its
// host name.
std::string NodeAddress(const json& node) {
  if (!node.contains("status") || !node["status"].contains("addresses")) {
    return "";
  }
  std::map<std::string, std::string> by_type;
  for (const json& a : node["status"]["addresses"]) {
    if (a.is_object())
      by_type.emplace(a.value("type", ""), a.value("address", ""));
  }
  for (const char* type : {"ExternalIP", "InternalIP", "Hostname"}) {
    auto it = by_type.find(type);
    if (it != by_type.end() && !it->second.empty()) return it->second;
  }
  return "";
}

}  // namespace

absl::StatusOr<KubernetesPlatform::Options>
KubernetesPlatform::OptionsFromEnvironment() {
  Options options;
  options.credentials.io = WithDefaults(KubeIo());
  auto get = [&](const char* name) {
    return options.credentials.io.getenv(name).value_or("");
  };
  options.credentials.context = get("TAO_K8S_CONTEXT");
  if (std::string type = get("TAO_K8S_SERVICE_TYPE"); !type.empty()) {
    if (absl::Status s = CheckServiceType(type, "TAO_K8S_SERVICE_TYPE");
        !s.ok()) {
      return s;
    }
    options.service_type = type;
  }
  options.image_pull_secret = get("TAO_K8S_IMAGE_PULL_SECRET");
  return options;
}

absl::StatusOr<std::unique_ptr<KubernetesPlatform>> KubernetesPlatform::Create(
    Options options) {
  if (absl::Status s = CheckServiceType(options.service_type, "service type");
      !s.ok()) {
    return s;
  }
  options.credentials.io = WithDefaults(std::move(options.credentials.io));
  return std::unique_ptr<KubernetesPlatform>(
      new KubernetesPlatform(std::move(options)));
}

absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment() {
  return CreateDriver<KubernetesPlatform>(
      KubernetesPlatform::OptionsFromEnvironment());
}

KubernetesPlatform::KubernetesPlatform(Options options)
    : options_(std::move(options)) {}

absl::StatusOr<KubeApi*> KubernetesPlatform::Api() {
  absl::MutexLock lock(&mu_);
  if (api_ == nullptr) {
    absl::StatusOr<KubeCredentials> credentials =
        LoadKubeCredentials(options_.credentials);
    if (!credentials.ok()) return credentials.status();
    api_ = std::make_unique<KubeApi>(*std::move(credentials),
                                     options_.request_timeout);
  }
  return api_.get();
}

std::string KubernetesPlatform::ServiceTypeOf(const LaunchSpec& spec) const {
  const std::string type = Option(spec.options, "service_type");
  return type.empty() ? options_.service_type : type;
}

std::string KubernetesPlatform::HostPortScope(const LaunchSpec& spec) const {
  // Only a ClusterIP Service needs a port here: its forward's.
  return ServiceTypeOf(spec) == "ClusterIP" ? std::string(kThisHostPortScope)
                                            : "";
}

std::string KubernetesPlatform::HostPortScopeOf(
    const Placement& placement) const {
  auto it = placement.attributes.find("service_type");
  return it != placement.attributes.end() && it->second == "ClusterIP"
             ? std::string(kThisHostPortScope)
             : "";
}

absl::StatusOr<std::string> KubernetesPlatform::OpenForward(
    KubeApi& api, const Placement& placement, int local_port) {
  absl::StatusOr<std::unique_ptr<ClusterIpForward>> forward =
      ClusterIpForward::Open(&api, placement.namespace_,
                             placement.platform_job_id, kServicePort,
                             local_port, options_.proxy_timeout);
  if (!forward.ok()) return forward.status();
  const std::string url = (*forward)->url();
  absl::MutexLock lock(&mu_);
  forwards_[placement.job_id] = *std::move(forward);
  return url;
}

void KubernetesPlatform::CloseForward(const std::string& job_id) {
  std::unique_ptr<ClusterIpForward> closing;
  absl::MutexLock lock(&mu_);
  auto it = forwards_.find(job_id);
  if (it == forwards_.end()) return;
  closing = std::move(it->second);
  forwards_.erase(it);
}

bool KubernetesPlatform::HasForward(const std::string& job_id) {
  absl::MutexLock lock(&mu_);
  return forwards_.count(job_id) > 0;
}

absl::Status KubernetesPlatform::ValidateOptions(
    const std::map<std::string, std::string>& options) const {
  for (const auto& [key, value] : options) {
    if (value.empty()) continue;
    if (key == "namespace") {
      if (!IsDns1123Label(value)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "kubernetes.namespace: \"", value,
            "\" is not a namespace name (lower-case letters, digits and '-', "
            "at most 63)"));
      }
    } else if (key == "service_type") {
      if (absl::Status s = CheckServiceType(value, "kubernetes.service_type");
          !s.ok()) {
        return s;
      }
    } else if (key == "image_pull_secret") {
      if (!IsDns1123Label(value) && value.find('.') == std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("kubernetes.image_pull_secret: \"", value,
                         "\" is not a Secret name"));
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(key,
                       ": not an option of platform kubernetes (namespace, "
                       "image_pull_secret, service_type)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<WorkloadInputs> KubernetesPlatform::InputsFor(
    const LaunchSpec& spec, const std::string& default_ns) const {
  if (absl::Status s = ValidateOptions(spec.options); !s.ok()) return s;
  if (!spec.inner_command) {
    return absl::InvalidArgumentError("the launch has no inner command");
  }
  absl::StatusOr<std::string> name = ObjectName(spec.job_id);
  if (!name.ok()) return name.status();
  absl::StatusOr<std::string> command = spec.inner_command(kServicePort);
  if (!command.ok()) return command.status();
  WorkloadInputs in;
  in.name = *name;
  in.namespace_ = Option(spec.options, "namespace");
  if (in.namespace_.empty()) in.namespace_ = default_ns;
  in.job_id = spec.job_id;
  in.network_arch = spec.network_arch;
  in.server_instance = spec.server_instance;
  in.image = spec.image;
  in.inner_command = *command;
  in.env = spec.env;
  in.secret_env = spec.secret_env;
  in.num_gpus = spec.num_gpus;
  in.image_pull_secret = Option(spec.options, "image_pull_secret");
  if (in.image_pull_secret.empty()) {
    in.image_pull_secret = options_.image_pull_secret;
  }
  in.service_type = ServiceTypeOf(spec);
  in.shm_size_bytes = options_.shm_size_bytes;
  in.ttl_seconds_after_finished = options_.ttl_seconds_after_finished;
  return in;
}

absl::Status KubernetesPlatform::CreateOnce(KubeApi& api,
                                            const std::string& collection,
                                            const json& object,
                                            const std::string& job_id) {
  absl::StatusOr<json> created = api.Create(collection, object);
  if (created.ok() || !absl::IsAlreadyExists(created.status())) {
    return created.status();
  }
  // 409: ours when it carries this job id (a create whose answer was lost).
  const std::string name = object["metadata"]["name"];
  absl::StatusOr<json> existing = api.Get(absl::StrCat(collection, "/", name));
  if (existing.ok() && existing->contains("metadata") &&
      (*existing)["metadata"]
              .value("labels", json::object())
              .value(kLabelJobId, "") == LabelValue(job_id)) {
    return absl::OkStatus();
  }
  return created.status();
}

absl::StatusOr<RuntimeState> KubernetesPlatform::StateOf(
    KubeApi& api, const std::string& ns, const std::string& name, json* pod) {
  absl::StatusOr<json> job = api.Get(absl::StrCat(JobsPath(ns), "/", name));
  if (absl::IsNotFound(job.status())) {
    RuntimeState state;
    state.phase = Phase::kMissing;
    state.detail = absl::StrCat("no Job ", name, " in namespace ", ns);
    return state;
  }
  if (!job.ok()) return job.status();
  absl::StatusOr<json> pods = api.Get(
      PodsPath(ns), {{"labelSelector", absl::StrCat("job-name=", name)}});
  if (!pods.ok()) return pods.status();
  const json* newest = NewestPod(*pods);
  if (newest != nullptr && pod != nullptr) *pod = *newest;
  return WorkloadState(*job, newest);
}

absl::Status KubernetesPlatform::AwaitRunning(
    KubeApi& api, const LaunchSpec& spec, const WorkloadInputs& in,
    const ProgressCallback& progress) {
  absl::Duration interval = options_.poll_min;
  std::string last_detail;
  while (true) {
    json pod;
    absl::StatusOr<RuntimeState> state =
        StateOf(api, in.namespace_, in.name, &pod);
    if (!state.ok()) return state.status();
    switch (state->phase) {
      case Phase::kRunning:
        return absl::OkStatus();
      case Phase::kExited: {
        std::string why = state->detail;
        if (pod.contains("metadata")) {
          absl::StatusOr<std::string> tail = api.GetText(
              absl::StrCat(PodsPath(in.namespace_), "/",
                           pod["metadata"].value("name", ""), "/log"),
              {{"container", kContainerName},
               {"tailLines", absl::StrCat(options_.failure_log_lines)}});
          if (tail.ok() && !tail->empty()) {
            absl::StrAppend(&why, "; last output:\n", *tail);
          }
        }
        return absl::FailedPreconditionError(absl::StrCat(
            "Job ", in.name, " in namespace ", in.namespace_,
            " failed: ", Redactor::ForValues(spec.secret_env).Redact(why)));
      }
      case Phase::kMissing:
        return absl::FailedPreconditionError(absl::StrCat(
            "Job ", in.name, " disappeared while it was starting"));
      case Phase::kPending:
      case Phase::kUnknown:
        break;
    }
    if (state->detail != last_detail) {
      last_detail = state->detail;
      ReportProgress(progress, ProgressEvent::Phase::kStarting,
                     absl::StrCat("Job ", in.name, ": ", state->detail));
    }
    if (!PauseLaunch(spec, interval, options_.poll_max)) {
      if (LaunchCancelled(spec)) return CancelledLaunch(in.name);
      return absl::DeadlineExceededError(absl::StrCat(
          "Job ", in.name, " was not running by the start deadline (",
          last_detail, ")"));
    }
  }
}

absl::StatusOr<std::optional<std::string>> KubernetesPlatform::HostUrlNow(
    KubeApi& api, const std::string& ns, const std::string& name) {
  absl::StatusOr<json> service =
      api.Get(absl::StrCat(ServicesPath(ns), "/", name));
  if (!service.ok()) return service.status();
  const json spec = service->value("spec", json::object());
  if (spec.value("type", "") == "NodePort") {
    const json ports = spec.value("ports", json::array());
    const int node_port = ports.empty() ? 0 : ports[0].value("nodePort", 0);
    json pod;
    absl::StatusOr<RuntimeState> state = StateOf(api, ns, name, &pod);
    if (!state.ok()) return state.status();
    const std::string node =
        pod.value("spec", json::object()).value("nodeName", "");
    if (node_port <= 0 || node.empty()) return std::nullopt;
    absl::StatusOr<json> node_object =
        api.Get(absl::StrCat("/api/v1/nodes/", node));
    if (!node_object.ok()) return node_object.status();
    const std::string address = NodeAddress(*node_object);
    if (address.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("node ", node, " reports no address"));
    }
    return absl::StrCat("http://", address, ":", node_port);
  }
  // LoadBalancer: a controller fills status.loadBalancer.ingress.
  const json ingress = service->value("status", json::object())
                           .value("loadBalancer", json::object())
                           .value("ingress", json::array());
  if (!ingress.empty() && ingress[0].is_object()) {
    std::string address = ingress[0].value("ip", "");
    if (address.empty()) address = ingress[0].value("hostname", "");
    if (!address.empty()) {
      return absl::StrCat("http://", address, ":", kServicePort);
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::string> KubernetesPlatform::AwaitHostUrl(
    KubeApi& api, const LaunchSpec& spec, const WorkloadInputs& in,
    const ProgressCallback& progress) {
  const absl::Time give_up =
      std::min(spec.deadline, absl::Now() + options_.address_wait);
  absl::Duration interval = options_.poll_min;
  bool told = false;
  while (true) {
    absl::StatusOr<std::optional<std::string>> url =
        HostUrlNow(api, in.namespace_, in.name);
    if (!url.ok()) return url.status();
    if (url->has_value()) return **url;
    if (!told) {
      told = true;
      ReportProgress(progress, ProgressEvent::Phase::kStarting,
                     absl::StrCat("waiting for ", in.service_type, " Service ",
                                  in.name, " to get an address"));
    }
    LaunchSpec bounded = spec;
    bounded.deadline = give_up;
    if (!PauseLaunch(bounded, interval, options_.poll_max)) {
      if (LaunchCancelled(spec)) return CancelledLaunch(in.name);
      return absl::FailedPreconditionError(absl::StrCat(
          in.service_type, " Service ", in.name, " got no address within ",
          absl::FormatDuration(options_.address_wait),
          in.service_type == "LoadBalancer"
              ? ". Try NodePort (kubernetes.service_type), or check the "
                "cluster's load balancer"
              : ""));
    }
  }
}

absl::StatusOr<RuntimeState> KubernetesPlatform::EnsureReachable(
    Placement& placement) {
  absl::StatusOr<RuntimeState> state = Inspect(placement);
  if (!state.ok() || state->phase != Phase::kRunning) return state;
  if (HostPortScopeOf(placement) == kThisHostPortScope &&
      placement.host_port > 0 && !HasForward(placement.job_id)) {
    // A ClusterIP Service of an earlier server process: its forward
    // went with that process; open it again on the same port.
    absl::StatusOr<KubeApi*> api = Api();
    if (!api.ok()) return api.status();
    absl::StatusOr<std::string> forwarded =
        OpenForward(**api, placement, placement.host_port);
    if (!forwarded.ok()) return forwarded.status();
    placement.host_url = *forwarded;
    return state;
  }
  if (!placement.host_url.empty()) return state;
  // A launch a restart cut short: the Service may be missing, the address
  // unknown. Both are finished here, without waiting.
  absl::StatusOr<KubeApi*> api = Api();
  if (!api.ok()) return api.status();
  const std::string& ns = placement.namespace_;
  const std::string& name = placement.platform_job_id;
  absl::StatusOr<json> job = (*api)->Get(absl::StrCat(JobsPath(ns), "/", name));
  if (!job.ok()) return job.status();
  const json metadata = job->value("metadata", json::object());
  const json labels = metadata.value("labels", json::object());
  WorkloadInputs in;
  in.name = name;
  in.namespace_ = ns;
  in.job_id = placement.job_id;
  in.network_arch = labels.value(kLabelNetworkArch, "");
  in.server_instance = metadata.value("annotations", json::object())
                           .value(kAnnotationServerInstance, "");
  in.service_type = placement.attributes["service_type"];
  if (in.service_type.empty()) in.service_type = options_.service_type;
  if (absl::Status s = CreateOnce(**api, ServicesPath(ns), ServiceManifest(in),
                                  placement.job_id);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::optional<std::string>> url = HostUrlNow(**api, ns, name);
  if (!url.ok()) return url.status();
  if (!url->has_value()) {
    state->phase = Phase::kPending;
    state->detail = absl::StrCat("waiting for ", in.service_type, " Service ",
                                 name, " to get an address");
    return state;
  }
  placement.host_url = **url;
  placement.attributes["service_type"] = in.service_type;
  return state;
}

absl::StatusOr<Placement> KubernetesPlatform::Launch(
    const LaunchSpec& spec, const ProgressCallback& progress) {
  absl::StatusOr<KubeApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::StatusOr<WorkloadInputs> in =
      InputsFor(spec, (*api)->credentials().namespace_);
  if (!in.ok()) return in.status();
  if (LaunchCancelled(spec)) return CancelledLaunch(in->name);
  if (absl::Now() >= spec.deadline) {
    return absl::DeadlineExceededError(
        "the Start deadline passed before the Job was created");
  }

  Placement placement;
  placement.job_id = spec.job_id;
  placement.platform_job_id = in->name;
  placement.namespace_ = in->namespace_;
  placement.attributes["service_type"] = in->service_type;
  placement.attributes["secret"] = in->secret_env.empty() ? "" : in->name;
  // Whatever fails from here on, nothing may stay behind.
  auto fail = [&](absl::Status error) -> absl::Status {
    if (absl::Status removed = Terminate(placement); !removed.ok()) {
      return absl::Status(
          error.code(),
          absl::StrCat(error.message(), "; removing its objects failed too: ",
                       removed.message()));
    }
    return error;
  };

  if (!in->secret_env.empty()) {
    if (absl::Status s = CreateOnce(**api, SecretsPath(in->namespace_),
                                    SecretManifest(*in), spec.job_id);
        !s.ok()) {
      return fail(s);
    }
  }
  if (absl::Status s = CreateOnce(**api, JobsPath(in->namespace_),
                                  JobManifest(*in), spec.job_id);
      !s.ok()) {
    return fail(s);
  }
  ReportPlacement(
      progress,
      absl::StrCat("created Job ", in->name, " in namespace ", in->namespace_),
      placement);
  if (absl::Status s = CreateOnce(**api, ServicesPath(in->namespace_),
                                  ServiceManifest(*in), spec.job_id);
      !s.ok()) {
    return fail(s);
  }
  if (absl::Status s = AwaitRunning(**api, spec, *in, progress); !s.ok()) {
    return fail(s);
  }
  if (in->service_type == "ClusterIP") {
    if (spec.host_port <= 0) {
      return fail(absl::InvalidArgumentError(
          "a ClusterIP Service needs a host port for its port-forward"));
    }
    placement.host_port = spec.host_port;
    absl::StatusOr<std::string> forwarded =
        OpenForward(**api, placement, spec.host_port);
    if (!forwarded.ok()) return fail(forwarded.status());
    placement.host_url = *forwarded;
  } else {
    absl::StatusOr<std::string> host_url =
        AwaitHostUrl(**api, spec, *in, progress);
    if (!host_url.ok()) return fail(host_url.status());
    placement.host_url = *host_url;
  }
  ReportProgress(
      progress, ProgressEvent::Phase::kStarting,
      absl::StrCat("Job ", in->name, " runs; Service at ", placement.host_url));
  return placement;
}

absl::StatusOr<RuntimeState> KubernetesPlatform::Inspect(
    const Placement& placement) {
  absl::StatusOr<KubeApi*> api = Api();
  if (!api.ok()) return api.status();
  if (placement.platform_job_id.empty() || placement.namespace_.empty()) {
    RuntimeState state;
    state.phase = Phase::kMissing;
    state.detail = "no Job name or namespace was recorded";
    return state;
  }
  absl::StatusOr<RuntimeState> state =
      StateOf(**api, placement.namespace_, placement.platform_job_id, nullptr);
  // The forward of a workload that ended is of no more use.
  if (state.ok() &&
      (state->phase == Phase::kExited || state->phase == Phase::kMissing)) {
    CloseForward(placement.job_id);
  }
  return state;
}

absl::Status KubernetesPlatform::Terminate(const Placement& placement) {
  CloseForward(placement.job_id);
  if (placement.platform_job_id.empty() || placement.namespace_.empty()) {
    return absl::OkStatus();  // nothing was created
  }
  absl::StatusOr<KubeApi*> api = Api();
  if (!api.ok()) return api.status();
  const std::string& ns = placement.namespace_;
  const std::string& name = placement.platform_job_id;
  const std::string paths[] = {absl::StrCat(JobsPath(ns), "/", name),
                               absl::StrCat(ServicesPath(ns), "/", name),
                               absl::StrCat(SecretsPath(ns), "/", name)};
  for (const std::string& path : paths) {
    // Background: the Job goes at once and its pod after it (a Job
    // deleted without a policy orphans its pods).
    absl::Status s = (*api)->Delete(path, "Background");
    if (!s.ok() && !absl::IsNotFound(s)) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> KubernetesPlatform::Logs(const Placement& placement,
                                                     int tail_lines) {
  absl::StatusOr<KubeApi*> api = Api();
  if (!api.ok()) return api.status();
  const std::string& ns = placement.namespace_;
  absl::StatusOr<json> pods = (*api)->Get(
      PodsPath(ns), {{"labelSelector",
                      absl::StrCat("job-name=", placement.platform_job_id)}});
  if (!pods.ok()) return pods.status();
  const json* pod = NewestPod(*pods);
  if (pod == nullptr) {
    return absl::NotFoundError(absl::StrCat("Job ", placement.platform_job_id,
                                            " in namespace ", ns,
                                            " has no pod"));
  }
  Query query = {{"container", kContainerName}};
  if (tail_lines > 0) query.push_back({"tailLines", absl::StrCat(tail_lines)});
  return (*api)->GetText(
      absl::StrCat(PodsPath(ns), "/", (*pod)["metadata"].value("name", ""),
                   "/log"),
      query);
}

absl::StatusOr<std::vector<OwnedWorkload>> KubernetesPlatform::ListOwned(
    absl::string_view server_instance) {
  absl::StatusOr<KubeApi*> api = Api();
  if (!api.ok()) return api.status();
  const Query query = {
      {"labelSelector",
       absl::StrCat(kLabelManagedBy, "=", kManagedByValue, ",",
                    kLabelServerInstance, "=", LabelValue(server_instance))}};
  absl::StatusOr<json> jobs = (*api)->Get("/apis/batch/v1/jobs", query);
  if (absl::IsPermissionDenied(jobs.status())) {
    // May not list cluster-wide: its own namespace then.
    jobs = (*api)->Get(JobsPath((*api)->credentials().namespace_), query);
  }
  if (!jobs.ok()) return jobs.status();
  std::vector<OwnedWorkload> owned;
  for (const json& job : jobs->value("items", json::array())) {
    const json metadata = job.value("metadata", json::object());
    // The label is cut to 63 characters; the annotation is whole.
    if (metadata.value("annotations", json::object())
            .value(kAnnotationServerInstance, "") != server_instance) {
      continue;
    }
    const json labels = metadata.value("labels", json::object());
    OwnedWorkload workload;
    workload.job_id = labels.value(kLabelJobId, "");
    workload.network_arch = labels.value(kLabelNetworkArch, "");
    const std::string name = metadata.value("name", "");
    const std::string ns = metadata.value("namespace", "");
    workload.detail =
        absl::StrCat("Job ", name, " in namespace ", ns,
                     "; delete it with `kubectl delete job,service,secret ",
                     name, " -n ", ns, " --cascade=background`");
    workload.placement.job_id = workload.job_id;
    workload.placement.platform_job_id = name;
    workload.placement.namespace_ = ns;
    owned.push_back(std::move(workload));
  }
  return owned;
}

}  // namespace tao::platforms::kubernetes
