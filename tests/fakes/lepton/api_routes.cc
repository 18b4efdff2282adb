#include "tests/fakes/lepton/api_routes.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "httplib.h"
#include "tests/fakes/lepton/api_errors.h"
#include "tests/fakes/lepton/deployment_runner.h"

namespace tao::fakes::lepton {
namespace {

using nlohmann::json;

// [C] handler_replica.go tails 10000 lines.
constexpr int kLogTailLines = 10000;

std::string NewReplicaId(const std::string& name) {
  static std::mt19937_64 random(std::random_device{}());
  static absl::Mutex mu(absl::kConstInit);
  absl::MutexLock lock(&mu);
  return absl::StrFormat("%s-%06x", name, random() & 0xffffff);
}

void SendNotFoundPage(httplib::Response& response) {
  // Go's mux for a path no route serves.
  response.status = 404;
  response.set_content("404 page not found", "text/plain");
}

json WorkspaceInfo(const ApiContext& c) {
  json shapes = json::object();
  for (const std::string& shape :
       c.rules->shapes.empty() ? KnownShapes() : c.rules->shapes) {
    shapes[shape] = {{"description", shape}};
  }
  // [S] api/v2/types/workspace.py WorkspaceInfo; values are the fake's.
  json info = {
      {"build_time", "2026-01-01T00:00:00Z"},
      {"git_commit", "fake-lepton"},
      {"workspace_name", c.workspace_id},
      {"workspace_tier", "enterprise"},
      {"workspace_state", c.workspace->paused() ? "paused" : "normal"},
      {"supported_shapes", shapes},
      {"workloads",
       {{"num_deployments", c.workspace->Deployments().size()},
        {"num_jobs", 0},
        {"num_pods", 0}}},
      {"resource_quota", {{"limit", json::object()}, {"used", json::object()}}},
      {"workspace_disk_usage_bytes", 0}};
  if (std::optional<bool> enabled = c.workspace->new_deployment_api()) {
    info["features"] = {{"enable_new_deployment_api", *enabled}};
  }
  return info;
}

void CreateDeployment(const ApiContext& c, const httplib::Request& request,
                      httplib::Response& response) {
  if (c.workspace->new_deployment_api().value_or(false)) {
    // [S-new] api/v2/client.py cites api-server MR !7865: endpoint-style
    // creates on /deployments are refused. The wording is not verified.
    SendError(InvalidRequest("this workspace uses the endpoints API; "
                             "create deployments through /endpoints"),
              response);
    return;
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    SendError(InvalidRequest("malformed deployment spec: the body is not JSON"),
              response);
    return;
  }
  CheckedDeployment checked;
  if (std::optional<ApiError> bad = CheckDeployment(body, *c.rules, &checked)) {
    SendError(*bad, response);
    return;
  }
  if (!checked.unknown_fields.empty()) {
    // Names only: values may be secrets.
    std::fprintf(stderr, "fake-lepton: ignoring unknown fields: %s\n",
                 absl::StrJoin(checked.unknown_fields, ", ").c_str());
  }
  const std::string name = checked.metadata.value("name", "");
  const std::string replica_id = NewReplicaId(name);
  const json ports = checked.spec.value("container", json::object())
                         .value("ports", json::array());
  const int port =
      ports.empty() ? 8080 : ports[0].value("container_port", 8080);
  auto record = std::make_shared<DeploymentRecord>(
      checked.metadata, checked.spec, replica_id,
      absl::StrCat("http://", name, ".", c.workspace_id,
                   ".svc.cluster.local:", port));
  if (!c.workspace->InsertDeployment(record)) {
    // [C] handler_deployment.go: 409 with code InvalidRequest.
    SendError({409, "InvalidRequest",
               absl::StrCat("deployment ", name, " already exists")},
              response);
    return;
  }
  if (absl::Status launched = c.launch(record); !launched.ok()) {
    c.workspace->EraseDeployment(record.get());
    SendError({500, "InternalFailure", std::string(launched.message())},
              response);
    return;
  }
  SendJson(201, record->ToJson(), response);
}

void ListDeployments(const ApiContext& c, httplib::Response& response) {
  json list = json::array();
  for (const auto& record : c.workspace->Deployments()) {
    list.push_back(record->ToJson());
  }
  SendJson(200, list, response);
}

void ReplicaLog(const ApiContext& c, const DeploymentRecord& record,
                const std::string& replica_id, httplib::Response& response) {
  if (replica_id != record.replica_id()) {
    SendError(NotFound("replica", replica_id), response);
    return;
  }
  absl::StatusOr<std::string> logs = c.docker->Logs(
      DeploymentRunner::ContainerName(c.workspace_id, replica_id),
      kLogTailLines);
  if (absl::IsNotFound(logs.status())) {
    // [C] handler_replica.go: 412 while the replica initializes.
    SendError({412, "InvalidRequest",
               absl::StrCat("replica ", replica_id, " is initializing")},
              response);
    return;
  }
  if (!logs.ok()) {
    SendError({500, "InternalFailure", std::string(logs.status().message())},
              response);
    return;
  }
  response.status = 200;
  response.set_content(*logs, "text/plain");
}

void DeploymentRoutes(const ApiContext& c,
                      const std::vector<std::string>& parts,
                      const httplib::Request& request,
                      httplib::Response& response) {
  const std::string& method = request.method;
  if (parts.size() == 1) {
    if (method == "GET") return ListDeployments(c, response);
    if (method == "POST") return CreateDeployment(c, request, response);
    return SendNotFoundPage(response);
  }
  std::shared_ptr<DeploymentRecord> record =
      c.workspace->FindDeployment(parts[1]);
  if (record == nullptr) {
    SendError(NotFound("deployment", parts[1]), response);
    return;
  }
  if (parts.size() == 2) {
    if (method == "GET") return SendJson(200, record->ToJson(), response);
    if (method == "DELETE") {
      c.remove(parts[1]);
      response.status = 200;  // [C]: 200 with an empty body
      return;
    }
    SendError({501, "InternalFailure",
               absl::StrCat("the fake does not implement ", method,
                            " of a deployment")},
              response);
    return;
  }
  if (method != "GET") return SendNotFoundPage(response);
  const std::string& what = parts[2];
  if (parts.size() == 3 && what == "replicas") {
    return SendJson(200, record->ReplicasJson(), response);
  }
  if (parts.size() == 3 && what == "readiness") {
    return SendJson(200, record->ReadinessJson(), response);
  }
  if (parts.size() == 3 && what == "termination") {
    return SendJson(200, record->TerminationsJson(), response);
  }
  if (parts.size() == 3 && what == "events") {
    return SendJson(200, record->EventsJson(), response);
  }
  if (parts.size() == 5 && what == "replicas" && parts[4] == "log") {
    return ReplicaLog(c, *record, parts[3], response);
  }
  SendNotFoundPage(response);
}

int64_t NanosParam(const httplib::Request& request, const char* name,
                   int64_t fallback) {
  int64_t value;
  return absl::SimpleAtoi(request.get_param_value(name), &value) ? value
                                                                 : fallback;
}

// GET /logs: Loki's query_range answer ([S] api/v2/log.py get_log).
void HistoryLogs(const ApiContext& c, const httplib::Request& request,
                 httplib::Response& response) {
  const std::string name = request.get_param_value("deployment");
  std::string replica = request.get_param_value("replica");
  std::shared_ptr<DeploymentRecord> record = c.workspace->FindDeployment(name);
  json streams = json::array();
  if (record != nullptr &&
      (replica.empty() || replica == record->replica_id())) {
    replica = record->replica_id();
    absl::StatusOr<std::vector<LogLine>> lines = c.docker->TimestampedLogs(
        DeploymentRunner::ContainerName(c.workspace_id, replica), -1);
    const int64_t start = NanosParam(request, "start", 0);
    const int64_t end = NanosParam(request, "end", INT64_MAX);
    const int64_t limit = NanosParam(request, "limit", 5000);
    const std::string q = request.get_param_value("q");
    const bool backward = request.get_param_value("direction") != "forward";
    json values = json::array();
    if (lines.ok()) {
      std::vector<LogLine> kept;
      for (const LogLine& line : *lines) {
        const int64_t ns = absl::ToUnixNanos(line.time);
        if (ns < start || ns > end) continue;
        if (!q.empty() && !absl::StrContains(line.text, q)) continue;
        kept.push_back(line);
      }
      if (backward) std::reverse(kept.begin(), kept.end());
      for (const LogLine& line : kept) {
        if (static_cast<int64_t>(values.size()) >= limit) break;
        values.push_back(
            {absl::StrCat(absl::ToUnixNanos(line.time)), line.text});
      }
    }
    if (!values.empty()) {
      streams.push_back(
          {{"stream", {{"deployment", name}, {"replica", replica}}},
           {"values", std::move(values)}});
    }
  }
  SendJson(200,
           {{"status", "success"},
            {"data", {{"resultType", "streams"}, {"result", streams}}}},
           response);
}

void UserSecretRoutes(const ApiContext& c,
                      const std::vector<std::string>& parts,
                      const httplib::Request& request,
                      httplib::Response& response) {
  if (parts.size() == 1 && request.method == "GET") {
    return SendJson(200, c.workspace->SecretsJson(), response);
  }
  if (parts.size() == 1 && request.method == "POST") {
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_array()) {
      // Never echo the body: it holds secret values.
      SendError(InvalidRequest("malformed secret list: want "
                               "[{\"name\",\"value\"}]"),
                response);
      return;
    }
    for (const json& item : body) {
      if (!item.is_object() || !item.contains("name") ||
          !item["name"].is_string() || !item.contains("value") ||
          !item["value"].is_string()) {
        SendError(InvalidRequest("each secret needs a string name and value"),
                  response);
        return;
      }
      const std::string visibility = item.value("visibility", "private");
      if (visibility != "public" && visibility != "private") {
        SendError(InvalidRequest("visibility must be public or private"),
                  response);
        return;
      }
    }
    for (const json& item : body) {
      c.workspace->PutSecret(item["name"].get<std::string>(),
                             item["value"].get<std::string>(),
                             item.value("visibility", "private"));
    }
    response.status = 200;  // the SDK checks only 2xx
    return;
  }
  if (parts.size() == 2 && request.method == "DELETE") {
    std::vector<std::string> users =
        c.workspace->DeploymentsUsingSecret(parts[1]);
    if (!users.empty()) {
      // [C] handler_secret.go.
      SendError({400, "ValidationError",
                 absl::StrCat("secret ", parts[1], " is in use: deployment ",
                              users[0])},
                response);
      return;
    }
    if (!c.workspace->DeleteSecret(parts[1])) {
      SendError(NotFound("secret", parts[1]), response);
      return;
    }
    response.status = 200;
    return;
  }
  SendNotFoundPage(response);
}

void ImagePullSecretRoutes(const ApiContext& c,
                           const std::vector<std::string>& parts,
                           const httplib::Request& request,
                           httplib::Response& response) {
  if (parts.size() == 1 && request.method == "GET") {
    return SendJson(200, c.workspace->ImagePullSecretsJson(), response);
  }
  if (parts.size() == 1 && request.method == "POST") {
    json body = json::parse(request.body, nullptr, false);
    const json metadata =
        body.is_object() ? body.value("metadata", json::object()) : json();
    const json spec =
        body.is_object() ? body.value("spec", json::object()) : json();
    std::string name = metadata.is_object() ? metadata.value("name", "") : "";
    if (name.empty() && metadata.is_object()) name = metadata.value("id", "");
    if (!spec.is_object() || !spec.contains("registry_server") ||
        !spec.contains("username") || !spec.contains("password")) {
      SendError(InvalidRequest("an image pull secret needs metadata.name and "
                               "spec.{registry_server,username,password}"),
                response);
      return;
    }
    if (std::optional<ApiError> bad = CheckName(name, 253); bad) {
      SendError(*bad, response);
      return;
    }
    if (!c.workspace->AddImagePullSecret(name, spec)) {
      // [C] handler_imagepullsecret.go.
      SendError({409, "ResourceConflict", "pull image secret already exists"},
                response);
      return;
    }
    response.status = 201;  // [T] expects 201
    return;
  }
  if (parts.size() == 2 && request.method == "DELETE") {
    if (!c.workspace->DeleteImagePullSecret(parts[1])) {
      SendError(NotFound("image pull secret", parts[1]), response);
      return;
    }
    response.status = 200;
    return;
  }
  SendNotFoundPage(response);
}

}  // namespace

void HandleApiRequest(const ApiContext& context, const std::string& path,
                      const httplib::Request& request,
                      httplib::Response& response) {
  const std::vector<std::string> parts =
      absl::StrSplit(path, '/', absl::SkipEmpty());
  if (parts.empty()) return SendNotFoundPage(response);
  const std::string& resource = parts[0];
  if (resource == "workspace" && parts.size() == 1 && request.method == "GET") {
    return SendJson(200, WorkspaceInfo(context), response);
  }
  if (resource == "deployments") {
    return DeploymentRoutes(context, parts, request, response);
  }
  if (resource == "logs" && parts.size() == 1 && request.method == "GET") {
    return HistoryLogs(context, request, response);
  }
  if (resource == "usersecrets") {
    return UserSecretRoutes(context, parts, request, response);
  }
  if (resource == "imagepullsecrets") {
    return ImagePullSecretRoutes(context, parts, request, response);
  }
  if (resource == "dedicated-node-groups" && parts.size() == 1 &&
      request.method == "GET") {
    return SendJson(200, *context.node_groups, response);
  }
  SendNotFoundPage(response);
}

}  // namespace tao::fakes::lepton
