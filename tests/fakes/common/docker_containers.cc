#include "tests/fakes/common/docker_containers.h"

#include <sys/stat.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "platforms/local_docker/docker_api.h"
#include "platforms/local_docker/image_reference.h"
#include "platforms/local_docker/log_stream.h"

namespace tao::fakes {
namespace {

using json = nlohmann::json;
using platforms::local_docker::DockerApi;
using platforms::local_docker::DockerRequest;
using platforms::local_docker::DockerResponse;
using platforms::local_docker::ErrorMessage;
using platforms::local_docker::EscapePath;

std::string ContainerPath(const std::string& name, const std::string& tail) {
  return absl::StrCat("/containers/", EscapePath(name), tail);
}

absl::Status EngineError(const std::string& what,
                         const DockerResponse& answer) {
  return absl::UnavailableError(
      absl::StrCat(what, ": HTTP ", answer.status, ": ", ErrorMessage(answer)));
}

// Docker's RFC 3339 times with nanoseconds; the zero time means "never".
absl::Time ParseTime(const std::string& text) {
  absl::Time t;
  std::string error;
  if (text.empty() || text.rfind("0001-", 0) == 0 ||
      !absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    return absl::InfinitePast();
  }
  return t;
}

}  // namespace

std::string DefaultDockerHost() {
  if (const char* host = std::getenv("DOCKER_HOST"); host && *host) {
    return host;
  }
  struct stat info;
  if (stat("/tmp/tao-docker/docker.sock", &info) == 0) {
    return "unix:///tmp/tao-docker/docker.sock";
  }
  return "unix:///var/run/docker.sock";
}

absl::StatusOr<std::unique_ptr<DockerContainers>> DockerContainers::Connect(
    const std::string& docker_host) {
  absl::StatusOr<platforms::local_docker::DockerEndpoint> endpoint =
      platforms::local_docker::ParseDockerHost(docker_host);
  if (!endpoint.ok()) return endpoint.status();
  return std::unique_ptr<DockerContainers>(
      new DockerContainers(std::make_unique<DockerApi>(*endpoint)));
}

DockerContainers::DockerContainers(std::unique_ptr<DockerApi> api)
    : api_(std::move(api)) {}
DockerContainers::~DockerContainers() = default;

absl::Status DockerContainers::EnsureImage(const std::string& image) {
  DockerRequest find;
  find.path = absl::StrCat("/images/", EscapePath(image), "/json");
  absl::StatusOr<DockerResponse> found = api_->Call(find);
  if (!found.ok()) return found.status();
  if (found->status == 200) return absl::OkStatus();
  const platforms::local_docker::ImageReference ref =
      platforms::local_docker::ParseImageReference(image);
  DockerRequest pull;
  pull.method = "POST";
  pull.path = "/images/create";
  pull.query = {{"fromImage", ref.repository}, {"tag", ref.tag}};
  pull.timeout = absl::Minutes(5);
  std::string error;
  absl::StatusOr<DockerResponse> pulled =
      api_->Stream(pull, [&](absl::string_view line) {
        json event = json::parse(line, nullptr, false);
        if (event.is_object() && event.contains("error") && error.empty()) {
          error = event["error"].is_string() ? event["error"].get<std::string>()
                                             : event["error"].dump();
        }
      });
  if (!pulled.ok()) return pulled.status();
  if (pulled->status != 200) error = ErrorMessage(*pulled);
  if (!error.empty()) return absl::NotFoundError(error);
  return absl::OkStatus();
}

absl::StatusOr<std::string> DockerContainers::Run(const ContainerSpec& spec) {
  if (absl::Status removed = Remove(spec.name); !removed.ok()) return removed;
  json env = json::array();
  for (const auto& [key, value] : spec.env) env.push_back(key + "=" + value);
  json host_config = {{"AutoRemove", false}};
  if (spec.shm_size_bytes > 0) host_config["ShmSize"] = spec.shm_size_bytes;
  json body = {{"Image", spec.image},
               {"Env", env},
               {"Labels", spec.labels},
               {"HostConfig", host_config}};
  if (!spec.entrypoint.empty()) body["Entrypoint"] = spec.entrypoint;
  if (!spec.args.empty()) body["Cmd"] = spec.args;
  DockerRequest create;
  create.method = "POST";
  create.path = "/containers/create";
  create.query = {{"name", spec.name}};
  create.body = body.dump();
  absl::StatusOr<DockerResponse> created = api_->Call(create);
  if (!created.ok()) return created.status();
  if (created->status != 201) {
    return EngineError(absl::StrCat("creating container ", spec.name),
                       *created);
  }
  const std::string id =
      json::parse(created->body, nullptr, false).value("Id", "");
  DockerRequest start;
  start.method = "POST";
  start.path = ContainerPath(spec.name, "/start");
  absl::StatusOr<DockerResponse> started = api_->Call(start);
  if (!started.ok()) return started.status();
  if (started->status != 204 && started->status != 304) {
    return EngineError(absl::StrCat("starting container ", spec.name),
                       *started);
  }
  return id;
}

absl::StatusOr<ContainerStatus> DockerContainers::Inspect(
    const std::string& name) {
  DockerRequest inspect;
  inspect.path = ContainerPath(name, "/json");
  absl::StatusOr<DockerResponse> answer = api_->Call(inspect);
  if (!answer.ok()) return answer.status();
  ContainerStatus status;
  if (answer->status == 404) return status;  // kMissing
  if (answer->status != 200) {
    return EngineError(absl::StrCat("inspecting container ", name), *answer);
  }
  const json body = json::parse(answer->body, nullptr, false);
  if (!body.is_object()) {
    return absl::InternalError(
        absl::StrCat("the engine's inspect of ", name, " is not JSON"));
  }
  const json state = body.value("State", json::object());
  status.id = body.value("Id", "");
  status.image_id = body.value("Image", "");
  status.exit_code = state.value("ExitCode", 0);
  status.oom_killed = state.value("OOMKilled", false);
  status.error = state.value("Error", "");
  status.started_at = ParseTime(state.value("StartedAt", ""));
  status.finished_at = ParseTime(state.value("FinishedAt", ""));
  const std::string phase = state.value("Status", "");
  if (phase == "running" || phase == "paused" || phase == "restarting") {
    status.state = ContainerStatus::State::kRunning;
    status.ip =
        body.value("NetworkSettings", json::object()).value("IPAddress", "");
  } else if (phase == "created") {
    status.state = ContainerStatus::State::kCreated;
  } else {
    status.state = ContainerStatus::State::kExited;
  }
  return status;
}

absl::Status DockerContainers::Wait(const std::string& name,
                                    absl::Duration timeout) {
  DockerRequest wait;
  wait.method = "POST";
  wait.path = ContainerPath(name, "/wait");
  wait.query = {{"condition", "not-running"}};
  wait.timeout = timeout;
  absl::StatusOr<DockerResponse> answer = api_->Call(wait);
  if (!answer.ok()) return answer.status();
  if (answer->status == 404) return absl::OkStatus();  // removed
  if (answer->status != 200) {
    return EngineError(absl::StrCat("waiting for container ", name), *answer);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DockerContainers::Logs(const std::string& name,
                                                   int tail_lines) {
  return ReadLogs(name, tail_lines, /*timestamps=*/false);
}

absl::StatusOr<std::vector<LogLine>> DockerContainers::TimestampedLogs(
    const std::string& name, int tail_lines) {
  absl::StatusOr<std::string> text =
      ReadLogs(name, tail_lines, /*timestamps=*/true);
  if (!text.ok()) return text.status();
  std::vector<LogLine> lines;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    if (line.empty()) continue;
    // "<RFC 3339 with nanoseconds> <text>"
    const size_t space = line.find(' ');
    LogLine parsed;
    parsed.time = ParseTime(std::string(line.substr(0, space)));
    parsed.text = space == absl::string_view::npos
                      ? ""
                      : std::string(line.substr(space + 1));
    lines.push_back(std::move(parsed));
  }
  return lines;
}

absl::StatusOr<std::string> DockerContainers::ReadLogs(const std::string& name,
                                                       int tail_lines,
                                                       bool timestamps) {
  DockerRequest logs;
  logs.path = ContainerPath(name, "/logs");
  logs.query = {{"stdout", "true"},
                {"stderr", "true"},
                {"tail", tail_lines >= 0 ? absl::StrCat(tail_lines) : "all"}};
  if (timestamps) logs.query.push_back({"timestamps", "true"});
  absl::StatusOr<DockerResponse> answer = api_->Call(logs);
  if (!answer.ok()) return answer.status();
  if (answer->status == 404) {
    return absl::NotFoundError(absl::StrCat("no container ", name));
  }
  if (answer->status != 200) {
    return EngineError(absl::StrCat("reading the logs of ", name), *answer);
  }
  return platforms::local_docker::Demultiplex(answer->body);
}

absl::Status DockerContainers::Remove(const std::string& name) {
  DockerRequest remove;
  remove.method = "DELETE";
  remove.path = ContainerPath(name, "");
  remove.query = {{"force", "true"}, {"v", "true"}};
  absl::StatusOr<DockerResponse> answer = api_->Call(remove);
  if (!answer.ok()) return answer.status();
  if (answer->status == 204 || answer->status == 404) return absl::OkStatus();
  // 409: a removal of the same container is already in progress.
  if (answer->status == 409) return absl::OkStatus();
  return EngineError(absl::StrCat("removing container ", name), *answer);
}

void DockerContainers::RemoveLabelled(const std::string& key,
                                      const std::string& value) {
  for (const std::string& name :
       ListLabelled(key, value).value_or(std::vector<std::string>())) {
    Remove(name).IgnoreError();
  }
}

absl::StatusOr<std::vector<std::string>> DockerContainers::ListLabelled(
    const std::string& key, const std::string& value) {
  DockerRequest list;
  list.path = "/containers/json";
  list.query = {
      {"all", "true"},
      {"filters", json{{"label", {absl::StrCat(key, "=", value)}}}.dump()}};
  absl::StatusOr<DockerResponse> answer = api_->Call(list);
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) {
    return EngineError("listing containers", *answer);
  }
  const json containers = json::parse(answer->body, nullptr, false);
  std::vector<std::string> names;
  if (!containers.is_array()) return names;
  for (const json& c : containers) {
    const json container_names = c.value("Names", json::array());
    if (container_names.empty()) continue;
    std::string name = container_names[0].get<std::string>();
    if (!name.empty() && name[0] == '/') name.erase(0, 1);
    names.push_back(name);
  }
  return names;
}

}  // namespace tao::fakes
