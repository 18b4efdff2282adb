#include "tests/fakes/kubernetes/docker_pod_runner.h"

#include <cctype>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tao::fakes::kubernetes {
namespace {

using json = nlohmann::json;
using State = ContainerStatus::State;

// A memory quantity ("16Gi", "512Mi", "1G", "1000") in bytes; 0 when it
// cannot be read.
int64_t QuantityBytes(const std::string& quantity) {
  size_t digits = 0;
  while (digits < quantity.size() && std::isdigit(quantity[digits])) ++digits;
  int64_t number = 0;
  if (!absl::SimpleAtoi(quantity.substr(0, digits), &number)) return 0;
  const std::string suffix = quantity.substr(digits);
  const std::pair<const char*, int64_t> units[] = {
      {"", 1},           {"Ki", 1LL << 10}, {"Mi", 1LL << 20},
      {"Gi", 1LL << 30}, {"Ti", 1LL << 40}, {"k", 1000},
      {"M", 1000000},    {"G", 1000000000}, {"T", 1000000000000}};
  for (const auto& [name, factor] : units) {
    if (suffix == name) return number * factor;
  }
  return 0;
}

// The sizeLimit of a memory emptyDir the container mounts at /dev/shm.
int64_t ShmBytes(const json& pod_spec, const json& container) {
  std::string volume;
  for (const json& mount : container.value("volumeMounts", json::array())) {
    if (mount.value("mountPath", "") == "/dev/shm") {
      volume = mount.value("name", "");
    }
  }
  for (const json& v : pod_spec.value("volumes", json::array())) {
    if (v.value("name", "") != volume || !v.contains("emptyDir")) continue;
    const json& empty_dir = v["emptyDir"];
    if (empty_dir.value("medium", "") != "Memory") return 0;
    return QuantityBytes(empty_dir.value("sizeLimit", "64Mi"));
  }
  return 0;
}

std::vector<std::string> Strings(const json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const json& item : list) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

PodState Waiting(const std::string& reason, const std::string& message) {
  PodState state;
  state.waiting_reason = reason;
  state.waiting_message = message;
  return state;
}

}  // namespace

std::string DockerPodRunner::ContainerName(const std::string& ns,
                                           const std::string& name) {
  return absl::StrCat("k8s-fake_", ns, "_", name);
}

void DockerPodRunner::RemoveLeftovers(const std::string& docker_host,
                                      const std::string& owner) {
  absl::StatusOr<std::unique_ptr<DockerContainers>> docker =
      DockerContainers::Connect(docker_host);
  if (docker.ok()) (*docker)->RemoveLabelled(kOwnerLabel, owner);
}

absl::StatusOr<std::unique_ptr<DockerPodRunner>> DockerPodRunner::Create(
    Options options) {
  if (options.docker_host.empty()) options.docker_host = DefaultDockerHost();
  absl::StatusOr<std::unique_ptr<DockerContainers>> docker =
      DockerContainers::Connect(options.docker_host);
  if (!docker.ok()) return docker.status();
  return std::unique_ptr<DockerPodRunner>(
      new DockerPodRunner(std::move(options), *std::move(docker)));
}

DockerPodRunner::DockerPodRunner(Options options,
                                 std::unique_ptr<DockerContainers> docker)
    : options_(std::move(options)), docker_(std::move(docker)) {}

DockerPodRunner::~DockerPodRunner() {
  std::vector<std::thread> threads;
  std::vector<PodKey> live;
  {
    absl::MutexLock lock(&mu_);
    shutting_down_ = true;
    threads.swap(threads_);
    for (const auto& [key, generation] : live_) live.push_back(key);
  }
  // Removing a container ends the Wait its pod's thread is in.
  for (const PodKey& key : live) {
    docker_->Remove(ContainerName(key.first, key.second)).IgnoreError();
  }
  for (std::thread& t : threads) t.join();
  for (const PodKey& key : live) {
    docker_->Remove(ContainerName(key.first, key.second)).IgnoreError();
  }
}

bool DockerPodRunner::Stopped(const PodKey& key, int generation) {
  absl::MutexLock lock(&mu_);
  auto it = live_.find(key);
  return shutting_down_ || it == live_.end() || it->second != generation;
}

void DockerPodRunner::Start(const PodLaunch& launch, PodStatusSink* sink) {
  const PodKey key{launch.pod["metadata"].value("namespace", ""),
                   launch.pod["metadata"].value("name", "")};
  absl::MutexLock lock(&mu_);
  if (shutting_down_) return;
  const int generation = ++generation_;
  live_[key] = generation;
  threads_.emplace_back(
      [this, launch, sink, generation] { RunPod(launch, sink, generation); });
}

void DockerPodRunner::Stop(const std::string& ns, const std::string& name) {
  {
    absl::MutexLock lock(&mu_);
    live_.erase({ns, name});
  }
  docker_->Remove(ContainerName(ns, name)).IgnoreError();
}

absl::StatusOr<std::string> DockerPodRunner::Logs(
    const std::string& ns, const std::string& name,
    const std::string& container) {
  (void)container;  // only the first container runs
  absl::StatusOr<std::string> logs = docker_->Logs(ContainerName(ns, name), -1);
  // A pod whose container never started has no output yet.
  if (absl::IsNotFound(logs.status())) return std::string();
  return logs;
}

void DockerPodRunner::RunPod(PodLaunch launch, PodStatusSink* sink,
                             int generation) {
  const json& pod = launch.pod;
  const std::string ns = pod["metadata"].value("namespace", "");
  const std::string name = pod["metadata"].value("name", "");
  const PodKey key{ns, name};
  const std::string container_name = ContainerName(ns, name);
  const json& spec = pod["spec"];
  const json container = spec.value("containers", json::array()).empty()
                             ? json::object()
                             : spec["containers"][0];
  const std::string image = container.value("image", "");

  if (!launch.config_error.empty()) {
    sink->ReportPodState(
        ns, name, Waiting("CreateContainerConfigError", launch.config_error));
    return;  // the kubelet retries; nothing here changes the Secrets
  }
  sink->ReportPodState(ns, name, Waiting("ContainerCreating", ""));
  if (absl::Status pulled = docker_->EnsureImage(image); !pulled.ok()) {
    if (Stopped(key, generation)) return;
    // Messages as pkg/kubelet/images/image_manager.go words them.
    sink->ReportPodState(
        ns, name,
        Waiting("ErrImagePull", absl::StrCat("Failed to pull image \"", image,
                                             "\": ", pulled.message())));
    absl::SleepFor(options_.pull_backoff);
    if (Stopped(key, generation)) return;
    sink->ReportPodState(
        ns, name,
        Waiting("ImagePullBackOff",
                absl::StrCat("Back-off pulling image \"", image, "\"")));
    return;
  }
  if (Stopped(key, generation)) return;

  ContainerSpec run;
  run.name = container_name;
  run.image = image;
  run.entrypoint = Strings(container.value("command", json::array()));
  run.args = Strings(container.value("args", json::array()));
  run.env = launch.env;
  run.labels = {{kOwnerLabel, options_.owner},
                {"io.kubernetes.pod.namespace", ns},
                {"io.kubernetes.pod.name", name}};
  run.shm_size_bytes = ShmBytes(spec, container);
  absl::StatusOr<std::string> id = docker_->Run(run);
  if (Stopped(key, generation)) {
    docker_->Remove(container_name).IgnoreError();
    return;
  }
  if (!id.ok()) {
    // What containerd reports when the entry point cannot be started.
    PodState failed;
    failed.phase = "Failed";
    failed.terminated = true;
    failed.exit_code = 128;
    failed.terminated_reason = "StartError";
    failed.terminated_message = std::string(id.status().message());
    failed.started_at = failed.finished_at = absl::Now();
    sink->ReportPodState(ns, name, failed);
    return;
  }
  absl::StatusOr<ContainerStatus> status = docker_->Inspect(container_name);
  if (status.ok() && status->state == State::kRunning) {
    PodState running;
    running.phase = "Running";
    running.running = true;
    running.ready = true;
    running.pod_ip = status->ip;
    running.container_id = absl::StrCat("docker://", status->id);
    running.image_id = absl::StrCat("docker://", status->image_id);
    running.started_at = status->started_at;
    sink->ReportPodState(ns, name, running);
  }
  while (!Stopped(key, generation)) {
    if (!docker_->Wait(container_name, absl::Seconds(5)).ok()) {
      absl::SleepFor(absl::Milliseconds(200));  // timed out, or no engine
    }
    status = docker_->Inspect(container_name);
    if (!status.ok() || status->state == State::kRunning ||
        status->state == State::kCreated) {
      continue;
    }
    if (Stopped(key, generation) || status->state == State::kMissing) return;
    PodState ended;
    ended.phase = status->exit_code == 0 ? "Succeeded" : "Failed";
    ended.terminated = true;
    ended.exit_code = status->exit_code;
    ended.terminated_reason = status->oom_killed       ? "OOMKilled"
                              : status->exit_code == 0 ? "Completed"
                                                       : "Error";
    ended.container_id = absl::StrCat("docker://", status->id);
    ended.image_id = absl::StrCat("docker://", status->image_id);
    ended.started_at = status->started_at;
    ended.finished_at = status->finished_at;
    sink->ReportPodState(ns, name, ended);
    return;
  }
}

}  // namespace tao::fakes::kubernetes
