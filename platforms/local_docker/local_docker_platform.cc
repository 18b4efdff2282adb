#include "platforms/local_docker/local_docker_platform.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "platforms/common/http/http_status.h"
#include "platforms/common/log.h"
#include "platforms/common/redactor.h"
#include "platforms/launch_wait.h"
#include "platforms/local_docker/container_state.h"
#include "platforms/local_docker/image_reference.h"
#include "platforms/local_docker/labels.h"
#include "platforms/local_docker/log_stream.h"
#include "platforms/local_docker/pull_progress.h"

namespace tao::platforms::local_docker {
namespace {

using Phase = ProgressEvent::Phase;

// How long Launch waits for a created container to leave "created".
constexpr absl::Duration kStartWait = absl::Seconds(30);
// Cleanup after a failed launch must not be cut short by its deadline.
constexpr absl::Duration kCleanupTimeout = absl::Seconds(30);

// Engine messages may quote what we sent; secrets must not leave.
std::string Redact(const std::string& text,
                   const std::map<std::string, std::string>& secrets) {
  return Redactor::ForValues(secrets).Redact(text);
}

nlohmann::json ParseJson(const std::string& text) {
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

// Any engine answer we did not expect, as a status.
absl::Status EngineError(
    absl::string_view what, const DockerResponse& response,
    const std::map<std::string, std::string>& secrets = {}) {
  const std::string message = Redact(ErrorMessage(response), secrets);
  const std::string text =
      absl::StrCat("the Docker engine could not ", what, ": ", message);
  absl::Status status = http::HttpStatusToStatus(response.status, text);
  return status.ok() ? absl::InternalError(text) : status;
}

absl::Status CancelledLaunch(absl::string_view what) {
  return absl::CancelledError(absl::StrCat(
      what,
      " was cancelled (the service was stopped or tao-inferd shut down); "
      "nothing of it is left running"));
}

std::string ContainerPath(const std::string& name, absl::string_view suffix) {
  return absl::StrCat("/containers/", EscapePath(name), suffix);
}

}  // namespace

absl::StatusOr<std::unique_ptr<LocalDockerPlatform>>
LocalDockerPlatform::Create(Options options) {
  // The defaults are what a request without options gets.
  if (absl::StatusOr<ContainerChoices> defaults =
          ResolveOptions({}, options.container);
      !defaults.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "local-docker defaults (DOCKER_NETWORK, TAO_DOCKER_BIND_ADDRESS): ",
        defaults.status().message()));
  }
  if (options.container.shm_size_bytes <= 0) {
    return absl::InvalidArgumentError(
        "local-docker: /dev/shm size must be > 0");
  }
  absl::StatusOr<DockerEndpoint> endpoint =
      ParseDockerHost(options.docker_host);
  return std::unique_ptr<LocalDockerPlatform>(
      new LocalDockerPlatform(std::move(options), std::move(endpoint)));
}

LocalDockerPlatform::LocalDockerPlatform(
    Options options, absl::StatusOr<DockerEndpoint> endpoint)
    : options_(std::move(options)),
      docker_host_(endpoint.ok() ? endpoint->description
                                 : (options_.docker_host.empty()
                                        ? std::string(kDefaultDockerHost)
                                        : options_.docker_host)),
      endpoint_status_(endpoint.status()) {
  if (endpoint.ok()) api_ = std::make_unique<DockerApi>(*std::move(endpoint));
}

absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment() {
  return CreateDriver<LocalDockerPlatform>(OptionsFromEnvironment());
}

absl::Status LocalDockerPlatform::ValidateOptions(
    const std::map<std::string, std::string>& options) const {
  return ResolveOptions(options, options_.container).status();
}

absl::StatusOr<DockerApi*> LocalDockerPlatform::Api() {
  if (!endpoint_status_.ok()) {
    return absl::FailedPreconditionError(endpoint_status_.message());
  }
  return api_.get();
}

absl::StatusOr<absl::Duration> LocalDockerPlatform::CallTimeout(
    absl::Time deadline, absl::Duration usual) const {
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) {
    return absl::DeadlineExceededError(
        "the Start deadline passed while launching the container");
  }
  return std::min(usual, left);
}

absl::StatusOr<Placement> LocalDockerPlatform::Launch(
    const LaunchSpec& spec, const ProgressCallback& progress) {
  absl::StatusOr<ContainerChoices> choices =
      ResolveChoices(spec, options_.container);
  if (!choices.ok()) return choices.status();
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();

  if (absl::Status s =
          EnsureImage(spec.image, spec.deadline, spec.cancelled, progress);
      !s.ok()) {
    return s;
  }
  if (LaunchCancelled(spec))
    return CancelledLaunch(absl::StrCat("the launch of ", spec.job_id));
  if (absl::Status s = EnsureNetwork(choices->network, spec.deadline, progress);
      !s.ok()) {
    return s;
  }

  ReportProgress(progress, Phase::kStarting,
                 absl::StrCat("creating container ", spec.job_id, " from ",
                              spec.image, " on network ", choices->network,
                              ", port ", choices->bind_address, ":",
                              spec.host_port, " -> ", kDefaultContainerPort));
  absl::StatusOr<absl::Duration> timeout =
      CallTimeout(spec.deadline, options_.request_timeout);
  if (!timeout.ok()) return timeout.status();
  DockerRequest create;
  create.method = "POST";
  create.path = "/containers/create";
  create.query = {{"name", spec.job_id}};
  // Holds secret values: this body is never logged.
  create.body = CreateContainerBody(spec, *choices, options_.container).dump();
  create.timeout = *timeout;
  absl::StatusOr<DockerResponse> created = (*api)->Call(create);
  if (!created.ok()) return created.status();
  if (created->status == 404) {
    return absl::FailedPreconditionError(
        absl::StrCat("image ", spec.image, " is not on the Docker engine at ",
                     docker_host_, ": ", ErrorMessage(*created)));
  }
  if (created->status != 201) {
    return EngineError(absl::StrCat("create container ", spec.job_id), *created,
                       spec.secret_env);
  }
  const std::string container_id = ParseJson(created->body).value("Id", "");
  const std::string container =
      container_id.empty() ? spec.job_id : container_id;
  const Placement placement =
      ContainerPlacement(spec.job_id, container_id, choices->network,
                         choices->bind_address, spec.host_port);
  // Recorded before the container can run (a restart starts it: Reattach).
  ReportPlacement(progress, absl::StrCat("created container ", spec.job_id),
                  placement);
  if (LaunchCancelled(spec)) {
    RemoveQuietly(container);
    return CancelledLaunch(absl::StrCat("the launch of ", spec.job_id));
  }

  ReportProgress(progress, Phase::kStarting,
                 absl::StrCat("starting container ", spec.job_id));
  timeout = CallTimeout(spec.deadline, options_.request_timeout);
  if (!timeout.ok()) {
    RemoveQuietly(container);
    return timeout.status();
  }
  DockerRequest start;
  start.method = "POST";
  start.path = ContainerPath(container, "/start");
  start.timeout = *timeout;
  absl::StatusOr<DockerResponse> started = (*api)->Call(start);
  if (!started.ok()) {
    RemoveQuietly(container);
    return started.status();
  }
  if (started->status != 204 && started->status != 304) {
    RemoveQuietly(container);
    const std::string message = Redact(ErrorMessage(*started), spec.secret_env);
    if (absl::StrContains(message, "port is already allocated") ||
        absl::StrContains(message, "address already in use")) {
      return absl::ResourceExhaustedError(
          absl::StrCat("host port ", choices->bind_address, ":", spec.host_port,
                       " is already in use on this host: ", message));
    }
    if (absl::StrContains(message, "could not select device driver") ||
        absl::StrContains(message, "unknown or invalid runtime name")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the Docker engine at ", docker_host_,
          " cannot give containers NVIDIA GPUs (", message,
          "); install the NVIDIA Container Toolkit, or set TAO_DOCKER_GPUS="
          "none in the server's environment to run without GPUs"));
    }
    return EngineError(absl::StrCat("start container ", spec.job_id), *started,
                       spec.secret_env);
  }

  // The engine answers start before the process may have run; wait until
  // it is running or has already exited.
  const absl::Time wait_until =
      std::min(spec.deadline, absl::Now() + kStartWait);
  while (true) {
    absl::StatusOr<RuntimeState> state = Inspect(placement);
    if (!state.ok()) {
      RemoveQuietly(container);
      return state.status();
    }
    if (state->phase == RuntimeState::Phase::kRunning ||
        state->phase == RuntimeState::Phase::kExited) {
      ReportProgress(
          progress, Phase::kStarting,
          absl::StrCat("container ", spec.job_id, " ", state->detail));
      return placement;
    }
    if (state->phase == RuntimeState::Phase::kMissing) {
      return absl::InternalError(absl::StrCat(
          "container ", spec.job_id, " disappeared right after it started"));
    }
    if (LaunchCancelled(spec)) {
      RemoveQuietly(container);
      return CancelledLaunch(absl::StrCat("the launch of ", spec.job_id));
    }
    if (absl::Now() >= wait_until) {
      RemoveQuietly(container);
      return absl::DeadlineExceededError(
          absl::StrCat("container ", spec.job_id,
                       " did not start running (state ", state->detail, ")"));
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
}

absl::Status LocalDockerPlatform::EnsureImage(
    const std::string& image, absl::Time deadline,
    const std::function<bool()>& cancelled, const ProgressCallback& progress) {
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::StatusOr<absl::Duration> timeout =
      CallTimeout(deadline, options_.request_timeout);
  if (!timeout.ok()) return timeout.status();
  DockerRequest inspect;
  inspect.path = absl::StrCat("/images/", EscapePath(image), "/json");
  inspect.timeout = *timeout;
  absl::StatusOr<DockerResponse> found = (*api)->Call(inspect);
  if (!found.ok()) return found.status();
  if (found->status == 200) return absl::OkStatus();
  if (found->status != 404) {
    return EngineError(absl::StrCat("inspect image ", image), *found);
  }
  if (absl::Status s = PullImage(image, deadline, cancelled, progress);
      !s.ok()) {
    return s;
  }

  timeout = CallTimeout(deadline, options_.request_timeout);
  if (!timeout.ok()) return timeout.status();
  inspect.timeout = *timeout;
  found = (*api)->Call(inspect);
  if (!found.ok()) return found.status();
  if (found->status != 200) {
    return absl::FailedPreconditionError(
        absl::StrCat("image ", image, " is still not on the Docker engine at ",
                     docker_host_, " after pulling it"));
  }
  return absl::OkStatus();
}

absl::Status LocalDockerPlatform::PullImage(
    const std::string& image, absl::Time deadline,
    const std::function<bool()>& cancelled, const ProgressCallback& progress) {
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();
  const ImageReference ref = ParseImageReference(image);
  DockerRequest pull;
  pull.method = "POST";
  pull.path = "/images/create";
  pull.query = {{"fromImage", ref.repository}, {"tag", ref.tag}};
  std::string credentials_note;
  if (ref.registry == kNgcRegistry) {
    if (!options_.ngc_api_key.empty()) {
      // The header carries the key: the request is never logged.
      pull.headers.push_back(absl::StrCat(
          "X-Registry-Auth: ",
          RegistryAuthHeader(kNgcUser, options_.ngc_api_key, kNgcRegistry)));
      credentials_note = " with the NGC API key from NGC_API_KEY";
    } else {
      credentials_note = " without credentials (NGC_API_KEY is not set)";
    }
  }
  absl::StatusOr<absl::Duration> timeout =
      CallTimeout(deadline, options_.pull_timeout);
  if (!timeout.ok()) return timeout.status();
  pull.timeout = *timeout;
  ReportProgress(
      progress, Phase::kPulling,
      absl::StrCat("image ", image, " is not on the Docker engine; pulling it",
                   credentials_note));

  pull.cancelled = cancelled;
  PullProgress tracker(image);
  absl::StatusOr<DockerResponse> pulled =
      (*api)->Stream(pull, [&](absl::string_view line) {
        const int64_t done_before = tracker.bytes_done();
        const int64_t total_before = tracker.bytes_total();
        std::optional<std::string> message = tracker.Consume(line);
        if (!message.has_value() && tracker.bytes_done() == done_before &&
            tracker.bytes_total() == total_before) {
          return;
        }
        ProgressEvent event;
        event.phase = Phase::kPulling;
        event.message = message.value_or("");
        event.bytes_done = tracker.bytes_done();
        event.bytes_total = tracker.bytes_total();
        if (progress) progress(event);
      });
  if (!pulled.ok()) {
    if (absl::IsCancelled(pulled.status()))
      return CancelledLaunch(absl::StrCat("pulling image ", image));
    if (absl::IsDeadlineExceeded(pulled.status())) {
      return absl::DeadlineExceededError(
          absl::StrCat("pulling image ", image,
                       " did not finish in time: ", pulled.status().message()));
    }
    return pulled.status();
  }
  std::string error =
      pulled->status == 200 ? tracker.error() : ErrorMessage(*pulled);
  if (!error.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "image ", image, " is not on the Docker engine at ", docker_host_,
        " and could not be pulled", credentials_note, ": ", error,
        ". Load the image into that engine, or make its registry reachable",
        ref.registry == kNgcRegistry
            ? " and set NGC_API_KEY in the server's environment"
            : ""));
  }
  ReportProgress(progress, Phase::kPulling,
                 absl::StrCat("pulled image ", image));
  return absl::OkStatus();
}

absl::Status LocalDockerPlatform::EnsureNetwork(
    const std::string& network, absl::Time deadline,
    const ProgressCallback& progress) {
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();
  absl::MutexLock lock(&network_mu_);
  absl::StatusOr<absl::Duration> timeout =
      CallTimeout(deadline, options_.request_timeout);
  if (!timeout.ok()) return timeout.status();
  DockerRequest inspect;
  inspect.path = absl::StrCat("/networks/", EscapePath(network));
  inspect.timeout = *timeout;
  absl::StatusOr<DockerResponse> found = (*api)->Call(inspect);
  if (!found.ok()) return found.status();
  // The engine also matches id prefixes: only the exact name counts.
  if (found->status == 200 &&
      ParseJson(found->body).value("Name", "") == network) {
    return absl::OkStatus();
  }
  if (found->status != 200 && found->status != 404) {
    return EngineError(absl::StrCat("inspect network ", network), *found);
  }
  DockerRequest create;
  create.method = "POST";
  create.path = "/networks/create";
  create.body = nlohmann::json{{"Name", network},
                               {"Driver", "bridge"},
                               {"CheckDuplicate", true},
                               {"Labels", {{kLabelCreatedBy, kCreatedByValue}}}}
                    .dump();
  create.timeout = *timeout;
  absl::StatusOr<DockerResponse> created = (*api)->Call(create);
  if (!created.ok()) return created.status();
  if (created->status == 409) return absl::OkStatus();  // made meanwhile
  if (created->status != 201) {
    return EngineError(absl::StrCat("create network ", network), *created);
  }
  ReportProgress(
      progress, Phase::kStarting,
      absl::StrCat("created Docker network ", network, " (it did not exist)"));
  return absl::OkStatus();
}

void LocalDockerPlatform::RemoveQuietly(const std::string& container) {
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return;
  DockerRequest remove;
  remove.method = "DELETE";
  remove.path = ContainerPath(container, "");
  remove.query = {{"force", "true"}, {"v", "true"}};
  remove.timeout = kCleanupTimeout;
  absl::StatusOr<DockerResponse> removed = (*api)->Call(remove);
  // Cleanup after a failed launch: its own failure must not hide the
  // launch's error, but must not vanish either.
  if (!removed.ok()) {
    LogWarning(absl::StrCat("local-docker: could not remove container ",
                            container, ": ", removed.status().message(),
                            "; remove it with `docker rm -f ", container, "`"));
  } else if (removed->status != 204 && removed->status != 404) {
    LogWarning(absl::StrCat("local-docker: could not remove container ",
                            container, ": ", ErrorMessage(*removed),
                            "; remove it with `docker rm -f ", container, "`"));
  }
}

absl::StatusOr<nlohmann::json> LocalDockerPlatform::InspectContainer(
    const std::string& container) {
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();
  DockerRequest inspect;
  inspect.path = ContainerPath(container, "/json");
  inspect.timeout = options_.request_timeout;
  absl::StatusOr<DockerResponse> found = (*api)->Call(inspect);
  if (!found.ok()) return found.status();
  if (found->status == 404) {
    return absl::NotFoundError(absl::StrCat("no container named ", container,
                                            " on the Docker engine at ",
                                            docker_host_));
  }
  if (found->status != 200) {
    return absl::UnavailableError(absl::StrCat(
        "the Docker engine at ", docker_host_, " could not inspect container ",
        container, ": ", ErrorMessage(*found)));
  }
  return ParseJson(found->body);
}

absl::StatusOr<RuntimeState> LocalDockerPlatform::Inspect(
    const Placement& placement) {
  absl::StatusOr<nlohmann::json> found = InspectContainer(placement.job_id);
  if (absl::IsNotFound(found.status())) {
    RuntimeState state;
    state.phase = RuntimeState::Phase::kMissing;
    state.detail = std::string(found.status().message());
    return state;
  }
  if (!found.ok()) return found.status();
  return StateFromInspect(*found);
}

absl::StatusOr<RuntimeState> LocalDockerPlatform::Reattach(
    Placement& placement) {
  absl::StatusOr<RuntimeState> state = Inspect(placement);
  if (!state.ok() || state->phase != RuntimeState::Phase::kPending ||
      state->detail != "created") {
    return state;
  }
  // Created and never started: a restart cut its launch short between
  // create and start. The registry knows it, so finish the launch.
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();
  DockerRequest start;
  start.method = "POST";
  start.path = ContainerPath(placement.job_id, "/start");
  start.timeout = options_.request_timeout;
  absl::StatusOr<DockerResponse> started = (*api)->Call(start);
  if (!started.ok()) return started.status();
  if (started->status != 204 && started->status != 304) {
    return EngineError(
        absl::StrCat("start container ", placement.job_id,
                     " (created by a launch a restart cut short)"),
        *started);
  }
  LogInfo(absl::StrCat("local-docker: started container ", placement.job_id,
                       ", created by a launch a restart cut short"));
  return Inspect(placement);
}

absl::Status LocalDockerPlatform::Terminate(const Placement& placement) {
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();
  DockerRequest stop;
  stop.method = "POST";
  stop.path = ContainerPath(placement.job_id, "/stop");
  stop.query = {{"t", absl::StrCat(absl::ToInt64Seconds(options_.stop_grace))}};
  stop.timeout = options_.stop_grace + options_.request_timeout;
  absl::StatusOr<DockerResponse> stopped = (*api)->Call(stop);
  if (!stopped.ok()) return stopped.status();
  if (stopped->status == 404) return absl::OkStatus();  // already gone
  // Any other answer (already stopped: 304; errors): removal forces it.

  DockerRequest remove;
  remove.method = "DELETE";
  remove.path = ContainerPath(placement.job_id, "");
  remove.query = {{"force", "true"}, {"v", "true"}};
  remove.timeout = options_.request_timeout;
  absl::StatusOr<DockerResponse> removed = (*api)->Call(remove);
  if (!removed.ok()) return removed.status();
  if (removed->status == 204 || removed->status == 404) return absl::OkStatus();
  // 409: a removal is already in progress (a concurrent Terminate).
  if (removed->status == 409 &&
      absl::StrContains(ErrorMessage(*removed), "already in progress")) {
    return absl::OkStatus();
  }
  return absl::UnavailableError(absl::StrCat(
      "the Docker engine at ", docker_host_, " could not remove container ",
      placement.job_id, ": ", ErrorMessage(*removed)));
}

absl::StatusOr<std::string> LocalDockerPlatform::Logs(
    const Placement& placement, int tail_lines) {
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();
  DockerRequest logs;
  logs.path = ContainerPath(placement.job_id, "/logs");
  logs.query = {{"stdout", "true"},
                {"stderr", "true"},
                {"tail", tail_lines > 0 ? absl::StrCat(tail_lines) : "all"}};
  logs.timeout = options_.request_timeout;
  absl::StatusOr<DockerResponse> answer = (*api)->Call(logs);
  if (!answer.ok()) return answer.status();
  if (answer->status == 404) {
    return absl::NotFoundError(absl::StrCat(
        "no container named ", placement.job_id, " (it was removed)"));
  }
  if (answer->status != 200) {
    return absl::UnavailableError(absl::StrCat(
        "the Docker engine at ", docker_host_, " could not read the logs of ",
        placement.job_id, ": ", ErrorMessage(*answer)));
  }
  std::string text = Demultiplex(answer->body);
  return tail_lines > 0 ? LastLines(text, tail_lines) : text;
}

absl::StatusOr<std::vector<LabelledContainer>>
LocalDockerPlatform::ListLabelledContainers() {
  absl::StatusOr<DockerApi*> api = Api();
  if (!api.ok()) return api.status();
  DockerRequest list;
  list.path = "/containers/json";
  list.query = {{"all", "true"},
                {"filters", nlohmann::json{{"label", {kLabelJobId}}}.dump()}};
  list.timeout = options_.request_timeout;
  absl::StatusOr<DockerResponse> answer = (*api)->Call(list);
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("the Docker engine at ", docker_host_,
                     " could not list containers: ", ErrorMessage(*answer)));
  }
  std::vector<LabelledContainer> result;
  nlohmann::json containers = ParseJson(answer->body);
  if (!containers.is_array()) return result;
  for (const nlohmann::json& c : containers) {
    if (!c.is_object()) continue;
    LabelledContainer entry;
    const nlohmann::json labels =
        c.contains("Labels") && c["Labels"].is_object()
            ? c["Labels"]
            : nlohmann::json::object();
    entry.job_id = labels.value(kLabelJobId, "");
    entry.network_arch = labels.value(kLabelNetworkArch, "");
    entry.server_instance = labels.value(kLabelServerInstance, "");
    entry.container_id = c.value("Id", "");
    entry.state = c.value("State", "");
    entry.status = c.value("Status", "");
    result.push_back(std::move(entry));
  }
  return result;
}

absl::StatusOr<std::vector<OwnedWorkload>> LocalDockerPlatform::ListOwned(
    absl::string_view server_instance) {
  absl::StatusOr<std::vector<LabelledContainer>> labelled =
      ListLabelledContainers();
  if (!labelled.ok()) return labelled.status();
  std::vector<OwnedWorkload> owned;
  for (const LabelledContainer& c : *labelled) {
    if (c.server_instance != server_instance) continue;
    OwnedWorkload workload;
    workload.job_id = c.job_id;
    workload.network_arch = c.network_arch;
    workload.detail =
        absl::StrCat("container ", c.status.empty() ? c.state : c.status,
                     "; remove it with `docker rm -f ", c.job_id, "`");
    // The list lacks the port bindings of stopped containers; inspect has
    // them. A container removed meanwhile is no longer owned.
    absl::StatusOr<nlohmann::json> inspected =
        InspectContainer(c.container_id.empty() ? c.job_id : c.container_id);
    if (absl::IsNotFound(inspected.status())) continue;
    if (!inspected.ok()) return inspected.status();
    workload.placement = PlacementFromInspect(*inspected);
    owned.push_back(std::move(workload));
  }
  return owned;
}

}  // namespace tao::platforms::local_docker
