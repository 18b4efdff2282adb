#include "tests/fakes/kubernetes/cluster.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "tests/fakes/kubernetes/job_controller.h"
#include "tests/fakes/kubernetes/object_defaults.h"
#include "tests/fakes/kubernetes/pod_state.h"
#include "tests/fakes/kubernetes/schema.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

Answer Ok(int code, json body) {
  Answer answer;
  answer.code = code;
  answer.body = std::move(body);
  return answer;
}

std::string Name(const json& object) {
  return object["metadata"].value("name", "");
}

void AddFinalizer(json& object, const std::string& finalizer) {
  json& list = object["metadata"]["finalizers"];
  if (!list.is_array()) list = json::array();
  for (const json& f : list) {
    if (f == finalizer) return;
  }
  list.push_back(finalizer);
}

void RemoveFinalizer(json& object, const std::string& finalizer) {
  json& meta = object["metadata"];
  if (!meta.contains("finalizers")) return;
  json kept = json::array();
  for (const json& f : meta["finalizers"]) {
    if (f != finalizer) kept.push_back(f);
  }
  if (kept.empty()) {
    meta.erase("finalizers");
  } else {
    meta["finalizers"] = kept;
  }
}

}  // namespace

Answer FromError(const ApiError& error) {
  Answer answer = Ok(error.code, error.body);
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
        [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          int n = next_cluster_ip_++;
          return absl::StrCat("10.96.", n / 250, ".", n % 250 + 1);
        },
        [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          int port = 30000 + static_cast<int>(random_state_++ % 2768);
          while (node_ports_.count(port)) port = 30000 + (port - 29999) % 2768;
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
    answer = Ok(201, stored);  // handlers/create.go
    if (info.resource == "jobs") {
      std::vector<json> started = ReconcileJobLocked(ns, name);
      to_start.insert(to_start.end(), started.begin(), started.end());
    } else if (info.resource == "pods") {
      to_start.push_back(stored);
    }
  }
  answer.headers.insert(answer.headers.end(), warnings.begin(), warnings.end());
  StartPods(to_start);
  return answer;
}

void Cluster::StartPods(const std::vector<json>& pods) {
  if (options_.runner == nullptr) return;
  for (const json& pod : pods) options_.runner->Start(pod, this);
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
  return Ok(200, *found);
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
  return Ok(200,
            {{"kind", info.kind + "List"},
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

Answer Cluster::Delete(const ResourceInfo& info, const std::string& ns,
                       const std::string& name, const json& options) {
  if (!info.namespaced) return FromError(MethodNotAllowed());
  std::string policy = options.value("propagationPolicy", "");
  bool orphan_false = options.contains("orphanDependents") &&
                      options["orphanDependents"] == false;
  if (policy.empty() && options.contains("orphanDependents")) {
    policy = options["orphanDependents"] == true ? "Orphan" : "Background";
  }
  if (!policy.empty() && policy != "Orphan" && policy != "Foreground" &&
      policy != "Background") {
    return FromError(InvalidObject(
        {"", "v1", "", "", "DeleteOptions", {}, {}, true}, "",
        {NotSupported("propagationPolicy", policy,
                      {"Foreground", "Background", "Orphan", "nil"})}));
  }
  std::vector<json> to_start;
  std::vector<std::string> stopped;
  Answer answer;
  {
    absl::MutexLock lock(&mu_);
    const json* found = store_.Get(info.resource, ns, name);
    if (found == nullptr) return FromError(NotFound(info, name));
    json object = *found;
    std::string uid = object["metadata"].value("uid", "");
    absl::Time now = absl::Now();
    if (info.resource == "jobs") {
      if (policy.empty()) {
        // batch/v1 Jobs default to Orphan and warn
        // (pkg/registry/batch/job/strategy.go, .../job/storage/storage.go).
        policy = "Orphan";
        answer.headers.emplace_back(
            "Warning",
            "299 - \"child pods are preserved by default when jobs are "
            "deleted; set propagationPolicy=Background to remove them or set "
            "propagationPolicy=Orphan to suppress this warning\"");
      }
      if (policy == "Background") {
        store_.Remove("jobs", ns, name);
        for (const json& pod : OwnedPods(ns, uid)) {
          RemovePodLocked(ns, Name(pod), &to_start);
          stopped.push_back(Name(pod));
        }
        // No ReturnDeletedObject for Jobs: a Success Status
        // (finalizeDelete, registry/store.go).
        answer.code = 200;
        answer.body = DeleteSuccess(info, name, uid);
      } else {
        object["metadata"]["deletionTimestamp"] = Rfc3339(now);
        object["metadata"]["deletionGracePeriodSeconds"] = 0;
        AddFinalizer(object,
                     policy == "Foreground" ? "foregroundDeletion" : "orphan");
        json stored = store_.Put("jobs", ns, name, object, false);
        gc_.push_back({now + options_.gc_delay, "jobs", ns, name});
        // handlers/delete.go: 202 only for orphanDependents=false when the
        // object is still there.
        answer.code = orphan_false ? 202 : 200;
        answer.body = stored;
      }
    } else if (info.resource == "pods") {
      object["metadata"]["deletionTimestamp"] = Rfc3339(now);
      object["metadata"]["deletionGracePeriodSeconds"] = 0;
      RemovePodLocked(ns, name, &to_start);
      stopped.push_back(name);
      // ReturnDeletedObject: true (pkg/registry/core/pod/storage/storage.go).
      // The fake deletes at once; a real pod lingers for its grace period.
      answer.body = object;
    } else if (info.resource == "services") {
      store_.Remove("services", ns, name);
      for (const json& p : object["spec"].value("ports", json::array())) {
        if (p.contains("nodePort")) node_ports_.erase(p["nodePort"].get<int>());
      }
      // Unverified (general knowledge): the Service store returns the
      // deleted object. kubectl's output is the same either way.
      answer.body = object;
    } else {
      store_.Remove(info.resource, ns, name);
      answer.body = DeleteSuccess(info, name, uid);
    }
  }
  if (options_.runner != nullptr) {
    for (const std::string& pod : stopped) options_.runner->Stop(ns, pod);
  }
  StartPods(to_start);
  return answer;
}

void Cluster::FinishDeleteLocked(const GcTask& task,
                                 std::vector<std::string>* stopped) {
  const json* found = store_.Get(task.resource, task.ns, task.name);
  if (found == nullptr) return;
  json object = *found;
  std::string uid = object["metadata"].value("uid", "");
  bool foreground = false;
  for (const json& f : object["metadata"].value("finalizers", json::array())) {
    if (f == "foregroundDeletion") foreground = true;
  }
  std::vector<json> unused;
  for (json pod : OwnedPods(task.ns, uid)) {
    if (foreground) {
      store_.Remove("pods", task.ns, Name(pod));
      stopped->push_back(Name(pod));
    } else {
      // Orphan: the GC drops the owner reference and keeps the pod.
      json refs = json::array();
      for (const json& ref : pod["metadata"]["ownerReferences"]) {
        if (ref.value("uid", "") != uid) refs.push_back(ref);
      }
      pod["metadata"]["ownerReferences"] = refs;
      if (refs.empty()) pod["metadata"].erase("ownerReferences");
      store_.Put("pods", task.ns, Name(pod), pod, false);
    }
  }
  store_.Remove(task.resource, task.ns, task.name);
}

void Cluster::GcLoop() {
  while (true) {
    std::vector<std::pair<std::string, std::string>> stopped;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(
          absl::Condition(
              +[](bool* stopping) { return *stopping; }, &stopping_),
          absl::Milliseconds(20));
      if (stopping_) return;
      absl::Time now = absl::Now();
      while (!gc_.empty() && gc_.front().when <= now) {
        GcTask task = gc_.front();
        gc_.pop_front();
        std::vector<std::string> names;
        FinishDeleteLocked(task, &names);
        for (const std::string& n : names) stopped.emplace_back(task.ns, n);
      }
    }
    if (options_.runner != nullptr) {
      for (const auto& [ns, name] : stopped) options_.runner->Stop(ns, name);
    }
  }
}

Answer Cluster::Logs(const std::string& ns, const std::string& pod_name,
                     const std::string& container) {
  json pod;
  {
    absl::MutexLock lock(&mu_);
    const json* found = store_.Get("pods", ns, pod_name);
    if (found == nullptr) return FromError(NotFound(PodResource(), pod_name));
    pod = *found;
  }
  std::vector<std::string> names;
  for (const json& c : pod["spec"]["containers"]) names.push_back(c["name"]);
  std::string chosen = container;
  if (chosen.empty()) {
    if (names.size() != 1) {
      return FromError(BadRequest(
          absl::StrCat("a container name must be specified for pod ", pod_name,
                       ", choose one of: [", absl::StrJoin(names, " "), "]")));
    }
    chosen = names[0];
  }
  if (std::find(names.begin(), names.end(), chosen) == names.end()) {
    // Unverified wording (kubelet's "container %s is not valid for pod %s").
    return FromError(BadRequest(absl::StrCat(
        "container ", chosen, " is not valid for pod ", pod_name)));
  }
  const json statuses = pod["status"].value("containerStatuses", json::array());
  if (statuses.empty()) {
    // Unverified wording for a pod no node runs yet.
    return FromError(BadRequest(
        absl::StrCat("pod ", pod_name, " does not have a host assigned")));
  }
  for (const json& cs : statuses) {
    if (cs.value("name", "") == chosen && cs["state"].contains("waiting")) {
      // Reference section 2 (seen).
      return FromError(BadRequest(absl::StrCat(
          "container \"", chosen, "\" in pod \"", pod_name,
          "\" is waiting to start: ",
          cs["state"]["waiting"].value("reason", "ContainerCreating"))));
    }
  }
  if (options_.runner == nullptr) return Answer{200, nullptr, "", {}};
  absl::StatusOr<std::string> logs =
      options_.runner->Logs(ns, pod_name, chosen);
  if (!logs.ok()) return FromError(InternalError(logs.status().ToString()));
  return Answer{200, nullptr, *logs, {}};
}

std::vector<WatchEvent> Cluster::CurrentAsAdded(const ResourceInfo& info,
                                                const std::string& ns,
                                                int64_t* resource_version) {
  absl::MutexLock lock(&mu_);
  *resource_version = store_.resource_version();
  std::vector<WatchEvent> events;
  for (json& object : store_.List(info.resource, ns)) {
    std::string object_ns = object["metadata"].value("namespace", "");
    events.push_back({0, "ADDED", info.resource, object_ns, std::move(object)});
  }
  return events;
}

std::vector<WatchEvent> Cluster::WaitEvents(int64_t after,
                                            absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  struct Args {
    Cluster* self;
    int64_t after;
  } args{this, after};
  mu_.AwaitWithDeadline(absl::Condition(
                            +[](Args* a) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                              return a->self->stopping_ ||
                                     a->self->store_.resource_version() >
                                         a->after;
                            },
                            &args),
                        deadline);
  return store_.EventsAfter(after);
}

absl::Status Cluster::ScriptPod(const std::string& ns, const std::string& name,
                                const json& script) {
  {
    absl::MutexLock lock(&mu_);
    if (store_.Get("pods", ns, name) == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("pod ", ns, "/", name, " does not exist"));
    }
  }
  if (options_.runner == nullptr) {
    return absl::FailedPreconditionError("the fake has no pod runner");
  }
  return options_.runner->Script(ns, name, script);
}

absl::StatusOr<std::string> Cluster::JobPodName(const std::string& ns,
                                                const std::string& job) {
  absl::MutexLock lock(&mu_);
  const json* found = store_.Get("jobs", ns, job);
  if (found == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("job ", ns, "/", job, " does not exist"));
  }
  std::vector<json> pods = OwnedPods(ns, (*found)["metadata"].value("uid", ""));
  if (pods.empty()) {
    return absl::NotFoundError(
        absl::StrCat("job ", ns, "/", job, " has no pod"));
  }
  const json* newest = &pods[0];
  for (const json& pod : pods) {
    if (std::stoll(pod["metadata"].value("resourceVersion", "0")) >
        std::stoll((*newest)["metadata"].value("resourceVersion", "0"))) {
      newest = &pod;
    }
  }
  return Name(*newest);
}

absl::Status Cluster::SetLoadBalancerIngress(const std::string& ns,
                                             const std::string& name,
                                             const json& ingress) {
  absl::MutexLock lock(&mu_);
  const json* found = store_.Get("services", ns, name);
  if (found == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("service ", ns, "/", name, " does not exist"));
  }
  json service = *found;
  if (service["spec"].value("type", "") != "LoadBalancer") {
    return absl::FailedPreconditionError(absl::StrCat(
        "service ", ns, "/", name,
        " is not of type LoadBalancer; no controller would set its ingress"));
  }
  json entry = json::object();
  if (ingress.contains("ip")) {
    entry["ip"] = ingress["ip"];
    entry["ipMode"] = "VIP";  // 1.29+
  } else if (ingress.contains("hostname")) {
    entry["hostname"] = ingress["hostname"];
  } else {
    return absl::InvalidArgumentError("ingress needs \"ip\" or \"hostname\"");
  }
  if (ingress.contains("ports")) entry["ports"] = ingress["ports"];
  service["status"]["loadBalancer"]["ingress"] = json::array({entry});
  store_.Put("services", ns, name, service, false);
  return absl::OkStatus();
}

}  // namespace tao::fakes::kubernetes
