#include "tests/fakes/lepton/fake_lepton_server.h"

#include <cstdio>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "tests/fakes/lepton/api_errors.h"
#include "tests/fakes/lepton/api_routes.h"
#include "tests/fakes/lepton/fake_controls.h"

namespace tao::fakes::lepton {
namespace {

using nlohmann::json;

constexpr char kWorkspacesPrefix[] = "/api/v2/workspaces/";

ApiError FaultError(const Fault& fault) {
  if (fault.status == 429) {
    return {429, "TooManyRequests", fault.message};  // code not verified
  }
  if (fault.status >= 500)
    return {fault.status, "InternalFailure", fault.message};
  return {fault.status, "InvalidRequest", fault.message};
}

json DefaultNodeGroups() {
  // [S] dedicated_node_groups.py reads metadata.{id,name}; the rest of a
  // node group's fields are not modelled.
  return json::array(
      {{{"metadata", {{"id", "fake-node-group"}, {"name", "fake-node-group"}}},
        {"spec", {{"description", "the fake's one node group"}}},
        {"status", {{"ready_nodes", 1}}}}});
}

}  // namespace

absl::StatusOr<std::unique_ptr<FakeLeptonServer>> FakeLeptonServer::Start(
    Options options) {
  if (options.name_limit != 32 && options.name_limit != 36) {
    return absl::InvalidArgumentError("the name limit is 32 or 36");
  }
  if (options.workspace.empty()) {
    return absl::InvalidArgumentError("give a workspace id");
  }
  if (options.owner.empty()) options.owner = "fake-lepton-" + options.workspace;
  if (options.node_groups.is_null()) options.node_groups = DefaultNodeGroups();
  if (options.docker_host.empty()) options.docker_host = DefaultDockerHost();
  std::unique_ptr<FakeLeptonServer> self(new FakeLeptonServer());
  self->options_ = std::move(options);
  const Options& o = self->options_;
  self->rules_.name_limit = o.name_limit;
  self->rules_.shapes = o.shapes;
  for (const json& group : o.node_groups) {
    self->rules_.node_group_ids.push_back(
        group.value("metadata", json::object()).value("id", ""));
  }
  absl::StatusOr<std::unique_ptr<DockerContainers>> docker =
      DockerContainers::Connect(o.docker_host);
  if (!docker.ok()) return docker.status();
  self->docker_ = *std::move(docker);
  // What a killed fake of the same owner left behind.
  self->RemoveOwnedContainers();

  FakeLeptonServer* raw = self.get();
  absl::Status started = StartApiListener(
      &self->http_, std::make_unique<httplib::Server>(), o.host, o.port,
      /*threads=*/16,
      [raw](const httplib::Request& request, httplib::Response& response) {
        raw->Handle(request, response);
      });
  if (!started.ok()) return started;
  return self;
}

FakeLeptonServer::~FakeLeptonServer() {
  http_.Stop();
  std::map<std::string, std::unique_ptr<DeploymentRunner>> runners;
  std::vector<std::unique_ptr<DeploymentRunner>> finished;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    runners.swap(runners_);
    finished.swap(finished_);
  }
  runners.clear();  // each removes its container
  finished.clear();
  if (docker_) RemoveOwnedContainers();
}

std::string FakeLeptonServer::url() const {
  return absl::StrCat(root_url(), kWorkspacesPrefix, options_.workspace);
}

std::string FakeLeptonServer::root_url() const {
  return absl::StrCat("http://", options_.host, ":", port());
}

std::string FakeLeptonServer::ContainerOf(const std::string& name) {
  absl::MutexLock lock(&mu_);
  auto it = runners_.find(name);
  return it == runners_.end() ? "" : it->second->container_name();
}

void FakeLeptonServer::RemoveOwnedContainers() {
  absl::StatusOr<std::vector<std::string>> owned =
      docker_->ListLabelled(kOwnerLabel, options_.owner);
  if (!owned.ok()) return;  // no engine: nothing of ours can run
  for (const std::string& name : *owned) docker_->Remove(name).IgnoreError();
}

absl::Status FakeLeptonServer::Launch(
    std::shared_ptr<DeploymentRecord> record) {
  RunnerOptions runner;
  runner.workspace = options_.workspace;
  runner.owner = options_.owner;
  runner.probe_interval = options_.probe_interval;
  runner.restart_backoff = options_.restart_backoff;
  runner.retry_interval = options_.retry_interval;
  runner.delete_delay = options_.delete_delay;
  runner.crash_state_error = options_.crash_state_error;
  const std::string name = record->name();
  absl::StatusOr<std::unique_ptr<DeploymentRunner>> started =
      DeploymentRunner::Start(std::move(record), &workspace_, docker_.get(),
                              runner);
  if (!started.ok()) return started.status();
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the fake is stopping");
  auto& slot = runners_[name];
  if (slot != nullptr) finished_.push_back(std::move(slot));
  slot = *std::move(started);
  return absl::OkStatus();
}

void FakeLeptonServer::Remove(const std::string& name) {
  absl::MutexLock lock(&mu_);
  auto it = runners_.find(name);
  if (it != runners_.end()) it->second->Delete();
}

void FakeLeptonServer::Handle(const httplib::Request& request,
                              httplib::Response& response) {
  // No gzip: a driver reads plain bodies (the Request is a mutable local
  // of httplib's loop, handed out const).
  const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
  if (absl::StartsWith(request.path, "/_fake/")) {
    HandleControl(request, response);
    return;
  }
  requests_.Record(LogEntry(request));
  // The gateway checks the token before anything else ([C]'s ALB). The
  // `origin` header is accepted with or without a path, or absent.
  if (!options_.token.empty() &&
      request.get_header_value("Authorization") != "Bearer " + options_.token) {
    SendNotAuthorized(response);
    return;
  }
  if (!absl::StartsWith(request.path, kWorkspacesPrefix)) {
    response.status = 404;
    response.set_content("404 page not found", "text/plain");
    return;
  }
  const std::string rest = request.path.substr(sizeof(kWorkspacesPrefix) - 1);
  const size_t slash = rest.find('/');
  const std::string workspace = rest.substr(0, slash);
  if (workspace != options_.workspace) {
    // What the gateway answers for another workspace id is not verified.
    SendError(NotFound("workspace", workspace), response);
    return;
  }
  const std::string path =
      slash == std::string::npos ? "/" : rest.substr(slash);
  if (std::optional<Fault> fault = faults_.Inject(request.method, path)) {
    if (fault->status == 401) {
      SendNotAuthorized(response);
    } else {
      SendError(FaultError(*fault), response);
    }
    return;
  }
  const std::string& m = request.method;
  if (workspace_.paused() && (m == "POST" || m == "PUT" || m == "PATCH")) {
    // [C] api-server/main.go.
    SendError({401, "InvalidRequest", "workspace is paused or terminated"},
              response);
    return;
  }
  ApiContext context;
  context.workspace_id = options_.workspace;
  context.workspace = &workspace_;
  context.docker = docker_.get();
  context.rules = &rules_;
  context.node_groups = &options_.node_groups;
  context.launch = [this](std::shared_ptr<DeploymentRecord> record) {
    return Launch(std::move(record));
  };
  context.remove = [this](const std::string& name) { Remove(name); };
  HandleApiRequest(context, path, request, response);
}

void FakeLeptonServer::HandleControl(const httplib::Request& request,
                                     httplib::Response& response) {
  const std::string& m = request.method;
  const json body = json::parse(request.body, nullptr, false);
  auto workspace_flags = [this] {
    std::optional<bool> enabled = workspace_.new_deployment_api();
    return json{{"paused", workspace_.paused()},
                {"enable_new_deployment_api",
                 enabled.has_value() ? json(*enabled) : json()}};
  };
  if (request.path == "/_fake/requests" && m == "GET") {
    return SendJson(200, requests_.Entries(), response);
  }
  if (request.path == "/_fake/requests" && m == "DELETE") {
    requests_.Clear();
    return SendJson(200, json::object(), response);
  }
  if (request.path == "/_fake/faults" && m == "POST") {
    absl::StatusOr<Fault> fault = FaultFromJson(body);
    if (!fault.ok()) {
      return SendError(InvalidRequest(std::string(fault.status().message())),
                       response);
    }
    faults_.Add(*std::move(fault));
    return SendJson(200, json::object(), response);
  }
  if (request.path == "/_fake/faults" && m == "DELETE") {
    faults_.Clear();
    return SendJson(200, json::object(), response);
  }
  if (request.path == "/_fake/workspace" && m == "GET") {
    return SendJson(200, workspace_flags(), response);
  }
  if (request.path == "/_fake/workspace" && m == "POST") {
    if (!body.is_object()) {
      return SendError(
          InvalidRequest("want {\"paused\"?: bool, "
                         "\"enable_new_deployment_api\"?: bool|null}"),
          response);
    }
    if (body.contains("paused") && body["paused"].is_boolean()) {
      workspace_.SetPaused(body["paused"].get<bool>());
    }
    if (body.contains("enable_new_deployment_api")) {
      const json& flag = body["enable_new_deployment_api"];
      workspace_.SetNewDeploymentApi(flag.is_boolean()
                                         ? std::optional<bool>(flag.get<bool>())
                                         : std::nullopt);
    }
    return SendJson(200, workspace_flags(), response);
  }
  response.status = 404;
  response.set_content("no such control route", "text/plain");
}

}  // namespace tao::fakes::lepton
