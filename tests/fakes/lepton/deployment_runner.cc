#include "tests/fakes/lepton/deployment_runner.h"

#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/fakes/common/tcp_probe.h"

namespace tao::fakes::lepton {
namespace {

using nlohmann::json;
using State = ContainerStatus::State;

// The container's environment: literal values and user secrets by name.
// A missing secret's name in `missing`.
std::vector<std::pair<std::string, std::string>> ResolveEnvs(
    const json& spec, const WorkspaceState& workspace, std::string* missing) {
  std::vector<std::pair<std::string, std::string>> env;
  for (const json& e : spec.value("envs", json::array())) {
    const std::string name = e.value("name", "");
    if (e.contains("value")) {
      env.emplace_back(name, e["value"].is_string()
                                 ? e["value"].get<std::string>()
                                 : e["value"].dump());
      continue;
    }
    const std::string ref =
        e.value("value_from", json::object()).value("secret_name_ref", "");
    std::optional<std::string> value = workspace.SecretValue(ref);
    if (!value.has_value()) {
      *missing = ref;
      return {};
    }
    env.emplace_back(name, *value);
  }
  return env;
}

}  // namespace

std::string DeploymentRunner::ContainerName(const std::string& workspace,
                                            const std::string& replica_id) {
  std::string name = absl::StrCat("fake-lepton-", workspace, "-", replica_id);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' &&
        c != '.') {
      c = '_';
    }
  }
  return name;
}

DeploymentRunner::DeploymentRunner(std::shared_ptr<DeploymentRecord> record,
                                   WorkspaceState* workspace,
                                   DockerContainers* docker,
                                   RunnerOptions options)
    : record_(std::move(record)),
      workspace_(workspace),
      docker_(docker),
      options_(std::move(options)),
      container_name_(
          ContainerName(options_.workspace, record_->replica_id())) {}

absl::StatusOr<std::unique_ptr<DeploymentRunner>> DeploymentRunner::Start(
    std::shared_ptr<DeploymentRecord> record, WorkspaceState* workspace,
    DockerContainers* docker, RunnerOptions options) {
  std::unique_ptr<DeploymentRunner> self(new DeploymentRunner(
      std::move(record), workspace, docker, std::move(options)));
  DeploymentRecord* raw = self->record_.get();
  absl::StatusOr<std::unique_ptr<EndpointProxy>> endpoint =
      EndpointProxy::Listen(
          "127.0.0.1", [raw] { return raw->ApiTokens(); },
          [raw] { return raw->ReadyBackend(); });
  if (!endpoint.ok()) return endpoint.status();
  self->endpoint_ = *std::move(endpoint);
  raw->SetExternalEndpoint(self->endpoint_->url());
  raw->AddEvent("Normal", "Created", "Deployment created");
  self->thread_ = std::thread([r = self.get()] { r->Loop(); });
  return self;
}

DeploymentRunner::~DeploymentRunner() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  // Removing the container also ends the watch the thread is in.
  docker_->Remove(container_name_).IgnoreError();
  if (thread_.joinable()) thread_.join();
  docker_->Remove(container_name_).IgnoreError();
  endpoint_.reset();
}

void DeploymentRunner::Delete() {
  absl::MutexLock lock(&mu_);
  if (deleting_) return;
  deleting_ = true;
  record_->SetState(kDeleting);
  record_->SetReadiness("Deleting", "");
  record_->AddEvent("Normal", "Deleting", "Deployment is being deleted");
}

bool DeploymentRunner::Ending() const {
  absl::MutexLock lock(&mu_);
  return stopping_ || deleting_;
}

bool DeploymentRunner::Pause(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  auto ending = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || deleting_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&ending), d);
  return !ending();
}

void DeploymentRunner::Loop() {
  bool ever_ready = false;
  while (RunOnce(&ever_ready)) {
  }
  bool deleting;
  {
    absl::MutexLock lock(&mu_);
    deleting = deleting_ && !stopping_;
  }
  if (deleting) FinishDelete();
}

void DeploymentRunner::FinishDelete() {
  record_->SetBackend(std::nullopt);
  docker_->Remove(container_name_).IgnoreError();
  {
    absl::MutexLock lock(&mu_);
    auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return stopping_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.delete_delay);
  }
  workspace_->EraseDeployment(record_.get());
}

bool DeploymentRunner::RunOnce(bool* ever_ready) {
  if (Ending()) return false;
  const json& spec = record_->spec();
  const json container = spec.value("container", json::object());
  const std::string image = container.value("image", "");

  record_->SetReadiness("InProgress", "Pulling image");
  record_->AddEvent("Normal", "Pulling",
                    absl::StrCat("Pulling image \"", image, "\""));
  if (absl::Status pulled = docker_->EnsureImage(image); !pulled.ok()) {
    if (absl::IsNotFound(pulled)) {
      record_->SetReadiness("ConfigError", "Failed to pull image: not found");
      record_->AddEvent("Warning", "Failed",
                        absl::StrCat("Failed to pull image \"", image,
                                     "\": ", pulled.message()));
    } else {
      // The engine itself did not answer: the platform's fault.
      record_->SetReadiness("SystemError", std::string(pulled.message()));
      record_->AddEvent("Warning", "SystemError",
                        std::string(pulled.message()));
    }
    return Pause(options_.retry_interval);
  }
  if (Ending()) return false;

  std::string missing;
  std::vector<std::pair<std::string, std::string>> env =
      ResolveEnvs(spec, *workspace_, &missing);
  if (!missing.empty()) {
    record_->SetReadiness("ConfigError", "Secret not found");
    // The secret's name only, never a value.
    record_->AddEvent("Warning", "ConfigError",
                      absl::StrCat("secret ", missing, " not found"));
    return Pause(options_.retry_interval);
  }
  // [C] deployment-operator injects LEPTON_* runtime variables; which of
  // them DGXC sets is not verified.
  env.emplace_back("LEPTON_DEPLOYMENT_NAME", record_->name());
  env.emplace_back("LEPTON_WORKSPACE_ID", options_.workspace);

  ContainerSpec run;
  run.name = container_name_;
  run.image = image;
  std::vector<std::string> command;
  for (const json& part : container.value("command", json::array())) {
    command.push_back(part.get<std::string>());
  }
  if (!command.empty()) {
    run.entrypoint = {command[0]};
    run.args.assign(command.begin() + 1, command.end());
  }
  run.env = std::move(env);
  run.labels = {{kOwnerLabel, options_.owner},
                {kWorkspaceLabel, options_.workspace},
                {kDeploymentLabel, record_->name()}};
  const int64_t shm_mib = spec.value("resource_requirement", json::object())
                              .value("shared_memory_size", int64_t{0});
  run.shm_size_bytes = shm_mib << 20;

  const absl::Time attempt = absl::Now();
  absl::StatusOr<std::string> id = docker_->Run(run);
  if (Ending()) return false;
  if (!id.ok()) {
    // What Kubernetes reports when the entry point cannot start.
    record_->AddTermination({attempt, absl::Now(), 128, "Error",
                             std::string(id.status().message())});
    record_->AddEvent("Warning", "Failed", std::string(id.status().message()));
  } else {
    record_->AddEvent("Normal", "Started", "Started container");
    record_->SetReadiness(
        "InProgress", "Waiting for the container port to accept connections");
    const int port = record_->ContainerPort();
    std::optional<ContainerStatus> last;
    while (!Ending()) {
      absl::StatusOr<ContainerStatus> status =
          docker_->Inspect(container_name_);
      if (!status.ok()) {
        Pause(options_.probe_interval);
        continue;
      }
      if (status->state == State::kExited || status->state == State::kMissing) {
        last = *status;
        break;
      }
      if (status->state == State::kRunning && !status->ip.empty()) {
        record_->SetBackend(TcpBackend{status->ip, port});
        if (record_->state() != kReady &&
            (port == 0 || ProbeTcp(status->ip, port, absl::Seconds(1)).ok())) {
          if (Ending()) break;
          record_->SetState(kReady);
          record_->SetReadiness("Ready", "");
          record_->AddEvent("Normal", "Ready", "Replica is ready");
          *ever_ready = true;
        }
      }
      Pause(options_.probe_interval);
    }
    record_->SetBackend(std::nullopt);
    if (Ending()) return false;
    if (last.has_value() && last->state == State::kExited) {
      const std::string reason = last->oom_killed       ? "OOMKilled"
                                 : last->exit_code == 0 ? "Completed"
                                                        : "Error";
      record_->AddTermination(
          {last->started_at, last->finished_at, last->exit_code, reason,
           absl::StrCat("container exited with code ", last->exit_code)});
      record_->AddEvent(
          "Warning", "BackOff",
          absl::StrCat("Container exited with code ", last->exit_code,
                       "; restarting after a back-off"));
    }
  }
  record_->SetState(options_.crash_state_error ? kError
                    : *ever_ready              ? kNotReady
                                               : kStarting);
  // Wording not verified.
  record_->SetReadiness("InProgress", "Back-off restarting failed container");
  return Pause(options_.restart_backoff);
}

}  // namespace tao::fakes::lepton
