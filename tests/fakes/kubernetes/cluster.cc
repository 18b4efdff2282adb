#include "tests/fakes/kubernetes/cluster.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "tests/fakes/kubernetes/fake_node.h"
#include "tests/fakes/kubernetes/job_controller.h"
#include "tests/fakes/kubernetes/object_defaults.h"
#include "tests/fakes/kubernetes/object_meta.h"
#include "tests/fakes/kubernetes/pod_env.h"
#include "tests/fakes/kubernetes/pod_state.h"
#include "tests/fakes/kubernetes/schema.h"
#include "tests/fakes/kubernetes/service_network.h"

namespace tao::fakes::kubernetes {

using nlohmann::json;

Answer JsonAnswer(int code, json body) {
  Answer answer;
  answer.code = code;
  answer.body = std::move(body);
  return answer;
}

Answer FromError(const ApiError& error) {
  Answer answer = JsonAnswer(error.code, error.body);
  for (const auto& [key, value] : error.headers) {
    answer.headers.emplace_back(key, value);
  }
  return answer;
}

Cluster::Cluster(Options options)
    : options_(std::move(options)), random_state_(std::random_device{}()) {
  absl::MutexLock lock(&mu_);
  absl::Time now = absl::Now();
  for (const std::string& ns : options_.namespaces) {
    json object = {
        {"kind", "Namespace"},
        {"apiVersion", "v1"},
        {"metadata",
         {{"name", ns}, {"labels", {{"kubernetes.io/metadata.name", ns}}}}},
        {"spec", {{"finalizers", {"kubernetes"}}}},
        {"status", {{"phase", "Active"}}}};
    FillMetadata(object, "", NewUid(), "kube-apiserver", now);
    object["metadata"].erase("managedFields");
    store_.Put("namespaces", "", ns, object, true);
  }
  json node = FakeNodeObject(now);
  FillMetadata(node, "", NewUid(), "kubelet", now);
  store_.Put("nodes", "", kNodeName, node, true);
  gc_thread_ = std::thread([this] { GcLoop(); });
}

Cluster::~Cluster() { Shutdown(); }

void Cluster::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (gc_thread_.joinable()) gc_thread_.join();
}

bool Cluster::stopping() const {
  absl::MutexLock lock(&mu_);
  return stopping_;
}

std::string Cluster::NewUid() {
  std::mt19937_64 rng(random_state_);
  random_state_ = rng();
  uint64_t a = rng(), b = rng();
  return absl::StrFormat("%08x-%04x-4%03x-%04x-%012x", a >> 32,
                         (a >> 16) & 0xffff, a & 0xfff,
                         0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffULL);
}

std::string Cluster::RandomSuffix() {
  // utilrand.String's alphabet (no vowels, no confusable characters).
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::mt19937_64 rng(random_state_);
  random_state_ = rng();
  std::string out;
  for (int i = 0; i < 5; ++i) out += kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
  return out;
}

bool Cluster::NamespaceExists(const std::string& ns) const {
  return store_.Get("namespaces", "", ns) != nullptr;
}

Answer Cluster::Create(const ResourceInfo& info, const std::string& ns,
                       json body, const std::string& field_validation,
                       const std::string& manager) {
  if (!body.is_object()) {
    return FromError(BadRequest(absl::StrCat(
        "the body of the request must be a ", info.kind, " object")));
  }
  if (!info.namespaced) return FromError(MethodNotAllowed());
  std::vector<std::pair<std::string, std::string>> warnings;
  std::vector<std::string> unknown = UnknownFields(info.kind, body);
  if (!unknown.empty() && field_validation != "Ignore") {
    std::vector<std::string> parts;
    for (const std::string& field : unknown) {
      parts.push_back(absl::StrCat("unknown field \"", field, "\""));
    }
    if (field_validation == "Strict") {
      return FromError(BadRequest(absl::StrCat(
          info.kind, " in version \"", info.version,
          "\" cannot be handled as a ", info.kind,
          ": strict decoding error: ", absl::StrJoin(parts, ", "))));
    }
    for (const std::string& part : parts) {
      warnings.emplace_back("Warning",
                            absl::StrCat("299 - ", json(part).dump()));
    }
  }
  body["kind"] = info.kind;
  body["apiVersion"] = info.ApiVersion();
  if (!body.contains("metadata") || !body["metadata"].is_object()) {
    body["metadata"] = json::object();
  }
  std::string body_ns = body["metadata"].value("namespace", "");
  if (!body_ns.empty() && body_ns != ns) {
    return FromError(BadRequest(
        "the namespace of the provided object does not match the namespace "
        "sent on the request"));
  }

  std::vector<json> to_start;
  json new_service;  // exposed once the lock is released
  Answer answer;
  {
    absl::MutexLock lock(&mu_);
    if (!NamespaceExists(ns)) {
      return FromError(NotFound(NamespaceResource(), ns));
    }
    json& meta = body["metadata"];
    if (meta.value("name", "").empty() &&
        !meta.value("generateName", "").empty()) {
      meta["name"] = meta["generateName"].get<std::string>() + RandomSuffix();
    }
    std::string uid = NewUid();
    std::vector<FieldError> errors;
    ServiceAllocator allocator{
        options_.node_port_min, options_.node_port_max,
        [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          int n = next_cluster_ip_++;
          return absl::StrCat("10.96.", n / 250, ".", n % 250 + 1);
        },
        [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          const int base = options_.node_port_min;
          const int size = options_.node_port_max - base + 1;
          int port = base + static_cast<int>(random_state_++ % size);
          // With a service network, a port this machine holds elsewhere
          // is skipped too (the node is this machine).
          for (int tries = 0;
               tries < size && (node_ports_.count(port) > 0 ||
                                (options_.network != nullptr &&
                                 !ServiceNetwork::NodePortFree(port)));
               ++tries) {
            port = base + (port - base + 1) % size;
          }
          node_ports_.insert(port);
          return port;
        },
        [this](int port) ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return node_ports_.count(port) > 0;
        }};
    if (info.resource == "jobs") {
      DefaultJob(body, uid);
      errors = ValidateJob(body);
    } else if (info.resource == "pods") {
      DefaultPodSpec(body["spec"], "Always");
      errors = ValidatePod(body);
    } else if (info.resource == "services") {
      errors = ValidateService(body, allocator);
    } else if (info.resource == "secrets") {
      errors = ValidateSecret(body);
      if (errors.empty()) DefaultSecret(body);
    }
    std::string name = meta.value("name", "");
    if (!errors.empty()) {
      return FromError(InvalidObject(info, name, errors));
    }
    if (store_.Get(info.resource, ns, name) != nullptr) {
      return FromError(AlreadyExists(info, name));
    }
    if (info.resource == "services") {
      DefaultService(body, allocator);
      for (const json& p : body["spec"].value("ports", json::array())) {
        if (p.contains("nodePort"))
          node_ports_.insert(p["nodePort"].get<int>());
      }
    }
    FillMetadata(body, ns, uid, manager, absl::Now());
    if (info.resource == "jobs" || info.resource == "pods") {
      body["metadata"]["generation"] = 1;
    }
    if (info.resource == "pods") {
      body["status"] = {{"phase", "Pending"}, {"qosClass", "BestEffort"}};
    }
    json stored = store_.Put(info.resource, ns, name, body, true);
    answer = JsonAnswer(201, stored);  // handlers/create.go
    if (info.resource == "jobs") {
      std::vector<json> started = ReconcileJobLocked(ns, name);
      to_start.insert(to_start.end(), started.begin(), started.end());
    } else if (info.resource == "pods") {
      to_start.push_back(stored);
    } else if (info.resource == "services") {
      new_service = stored;
    }
  }
  answer.headers.insert(answer.headers.end(), warnings.begin(), warnings.end());
  if (!new_service.is_null() && options_.network != nullptr) {
    absl::StatusOr<json> ingress = options_.network->Expose(new_service);
    if (!ingress.ok()) {
      // The object stays, as a cloud controller's failure leaves it.
      std::fprintf(stderr, "fake-kube-apiserver: service %s/%s: %s\n",
                   ns.c_str(), Name(new_service).c_str(),
                   std::string(ingress.status().message()).c_str());
    } else if (!ingress->is_null()) {
      SetLoadBalancerIngress(ns, Name(new_service), *ingress).IgnoreError();
    }
  }
  StartPods(to_start);
  return answer;
}

void Cluster::StartPods(const std::vector<json>& pods) {
  if (options_.runner == nullptr || pods.empty()) return;
  std::vector<PodLaunch> launches;
  {
    absl::MutexLock lock(&mu_);
    for (const json& pod : pods) {
      const std::string ns = pod["metadata"].value("namespace", "");
      launches.push_back(ResolvePodLaunch(
          pod, [&](const std::string& name) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            return store_.Get("secrets", ns, name);
          }));
    }
  }
  for (const PodLaunch& launch : launches) options_.runner->Start(launch, this);
}

absl::StatusOr<size_t> Cluster::ServicePortIndex(
    const std::string& ns, const std::string& name,
    const std::string& port) const {
  absl::MutexLock lock(&mu_);
  const json* service = store_.Get("services", ns, name);
  if (service == nullptr) {
    return absl::NotFoundError(absl::StrCat("no service ", ns, "/", name));
  }
  const json ports = (*service)["spec"].value("ports", json::array());
  for (size_t i = 0; i < ports.size(); ++i) {
    if ((port.empty() && ports.size() == 1) ||
        std::to_string(ports[i].value("port", 0)) == port ||
        (!port.empty() && ports[i].value("name", "") == port)) {
      return i;
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat("no port \"", port, "\" on service \"", name, "\""));
}

std::optional<TcpBackend> Cluster::ServiceEndpoint(const std::string& ns,
                                                   const std::string& name,
                                                   size_t port_index) const {
  absl::MutexLock lock(&mu_);
  const json* service = store_.Get("services", ns, name);
  if (service == nullptr) return std::nullopt;
  const json ports = (*service)["spec"].value("ports", json::array());
  const json selector = (*service)["spec"].value("selector", json::object());
  if (port_index >= ports.size() || selector.empty()) return std::nullopt;
  const json target = ports[port_index].value("targetPort", json(nullptr));
  for (const json& pod : store_.List("pods", ns)) {
    const json labels = pod["metadata"].value("labels", json::object());
    bool selected = true;
    for (auto it = selector.begin(); it != selector.end(); ++it) {
      if (labels.value(it.key(), "") != it.value()) selected = false;
    }
    const json status = pod.value("status", json::object());
    bool ready = false;
    for (const json& c : status.value("conditions", json::array())) {
      if (c.value("type", "") == "Ready")
        ready = c.value("status", "") == "True";
    }
    if (!selected || !ready || status.value("phase", "") != "Running" ||
        status.value("podIP", "").empty() ||
        pod["metadata"].contains("deletionTimestamp")) {
      continue;
    }
    int port = target.is_number() ? target.get<int>() : 0;
    if (target.is_string()) {  // a named container port
      for (const json& c : pod["spec"].value("containers", json::array())) {
        for (const json& p : c.value("ports", json::array())) {
          if (p.value("name", "") == target) port = p.value("containerPort", 0);
        }
      }
    }
    if (port > 0) return TcpBackend{status["podIP"].get<std::string>(), port};
  }
  return std::nullopt;
}

std::vector<json> Cluster::OwnedPods(const std::string& ns,
                                     const std::string& uid) const {
  std::vector<json> owned;
  for (json& pod : store_.List("pods", ns)) {
    if (OwnedBy(pod, uid)) owned.push_back(std::move(pod));
  }
  return owned;
}

std::vector<json> Cluster::ReconcileJobLocked(const std::string& ns,
                                              const std::string& name) {
  const json* found = store_.Get("jobs", ns, name);
  if (found == nullptr || found->at("metadata").contains("deletionTimestamp")) {
    return {};
  }
  json job = *found;
  std::string uid = job["metadata"].value("uid", "");
  std::vector<json> pods = OwnedPods(ns, uid);
  absl::Time now = absl::Now();
  JobDecision decision = ReconcileJob(job, pods, now);
  std::vector<json> started;
  if (decision.create_pod) {
    json pod = NewJobPod(job, RandomSuffix());
    FillMetadata(pod, ns, NewUid(), "kube-controller-manager", now);
    std::string pod_name = Name(pod);
    started.push_back(store_.Put("pods", ns, pod_name, pod, true));
    pods.push_back(started.back());
    decision = ReconcileJob(job, pods, now);
  }
  // Counted terminal pods lose the tracking finalizer (job controller).
  for (json& pod : pods) {
    std::string phase = pod["status"].value("phase", "");
    if ((phase == "Succeeded" || phase == "Failed") &&
        pod["metadata"].contains("finalizers")) {
      RemoveFinalizer(pod, "batch.kubernetes.io/job-tracking");
      store_.Put("pods", ns, Name(pod), pod, false);
    }
  }
  if (decision.status != job["status"]) {
    job["status"] = decision.status;
    store_.Put("jobs", ns, name, job, false);
  }
  return started;
}

void Cluster::ReportPodState(const std::string& ns, const std::string& name,
                             const PodState& state) {
  std::vector<json> to_start;
  {
    absl::MutexLock lock(&mu_);
    const json* found = store_.Get("pods", ns, name);
    if (found == nullptr) return;
    json pod = *found;
    pod["status"] = BuildPodStatus(pod, state, absl::Now());
    store_.Put("pods", ns, name, pod, false);
    for (const json& ref :
         pod["metadata"].value("ownerReferences", json::array())) {
      if (ref.value("kind", "") == "Job") {
        to_start = ReconcileJobLocked(ns, ref.value("name", ""));
      }
    }
  }
  StartPods(to_start);
}

Answer Cluster::Get(const ResourceInfo& info, const std::string& ns,
                    const std::string& name) {
  absl::MutexLock lock(&mu_);
  const json* found =
      store_.Get(info.resource, info.namespaced ? ns : "", name);
  if (found == nullptr) return FromError(NotFound(info, name));
  return JsonAnswer(200, *found);
}

Answer Cluster::List(const ResourceInfo& info, const std::string& ns,
                     const LabelSelector& labels, const FieldSelector& fields) {
  absl::MutexLock lock(&mu_);
  json items = json::array();
  for (json& object : store_.List(info.resource, ns)) {
    if (!labels.Matches(object["metadata"].value("labels", json::object())) ||
        !fields.Matches(object)) {
      continue;
    }
    // List items carry no kind/apiVersion, as the real server sends them.
    object.erase("kind");
    object.erase("apiVersion");
    items.push_back(std::move(object));
  }
  return JsonAnswer(
      200, {{"kind", info.kind + "List"},
            {"apiVersion", info.ApiVersion()},
            {"metadata",
             {{"resourceVersion", std::to_string(store_.resource_version())}}},
            {"items", items}});
}

json Cluster::RemovePodLocked(const std::string& ns, const std::string& name,
                              std::vector<json>* to_start) {
  json pod = store_.Remove("pods", ns, name);
  for (const json& ref :
       pod["metadata"].value("ownerReferences", json::array())) {
    if (ref.value("kind", "") == "Job") {
      std::vector<json> started = ReconcileJobLocked(ns, ref.value("name", ""));
      to_start->insert(to_start->end(), started.begin(), started.end());
    }
  }
  return pod;
}

}  // namespace tao::fakes::kubernetes
