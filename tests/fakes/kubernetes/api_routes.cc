#include "tests/fakes/kubernetes/api_routes.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/fakes/kubernetes/discovery.h"
#include "tests/fakes/kubernetes/openapi_v2.h"
#include "tests/fakes/kubernetes/resources.h"
#include "tests/fakes/kubernetes/service_proxy.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

void SendJson(int code, const json& body, httplib::Response& response) {
  response.status = code;
  response.set_content(body.dump(), "application/json");
}

// The real mux's answer for a path no handler owns.
void SendMuxNotFound(httplib::Response& response) {
  response.status = 404;
  response.set_content("404 page not found\n", "text/plain; charset=utf-8");
}

// A 404 Status for an API path with no such resource (the apiserver's
// generic "could not find" NotFound).
void SendNoResource(httplib::Response& response) {
  SendJson(404,
           {{"kind", "Status"},
            {"apiVersion", "v1"},
            {"metadata", json::object()},
            {"status", "Failure"},
            {"message", "the server could not find the requested resource"},
            {"reason", "NotFound"},
            {"details", json::object()},
            {"code", 404}},
           response);
}

std::string Param(const httplib::Request& request, const char* key) {
  return request.has_param(key) ? request.get_param_value(key) : "";
}

// The managedFields manager: fieldManager, else the User-Agent's first
// word (the apiserver's prefix of the UA).
std::string Manager(const httplib::Request& request) {
  std::string manager = Param(request, "fieldManager");
  if (!manager.empty()) return manager;
  std::string ua = request.get_header_value("User-Agent");
  return ua.substr(0, ua.find('/'));
}

bool JsonContentType(const httplib::Request& request) {
  std::string type =
      absl::AsciiStrToLower(request.get_header_value("Content-Type"));
  return type.empty() || absl::StartsWith(type, "application/json") ||
         absl::StartsWith(type, "*/*");
}

void HandleWatch(const ApiContext& context, const ResourceInfo& info,
                 const std::string& ns, LabelSelector labels,
                 FieldSelector fields, const httplib::Request& request,
                 httplib::Response& response) {
  // Bounded: min(timeoutSeconds, max_watch); a real server keeps a watch
  // open for minutes.
  absl::Duration length = context.max_watch;
  int64_t timeout_seconds = 0;
  if (absl::SimpleAtoi(Param(request, "timeoutSeconds"), &timeout_seconds) &&
      timeout_seconds > 0) {
    length = std::min(length, absl::Seconds(timeout_seconds));
  }
  struct WatchState {
    int64_t after = 0;
    std::vector<WatchEvent> initial;
    absl::Time deadline;
  };
  auto state = std::make_shared<WatchState>();
  state->deadline = absl::Now() + length;
  std::string rv = Param(request, "resourceVersion");
  if (rv.empty() || rv == "0") {
    // No (or "any") resourceVersion: the current objects first, as ADDED.
    state->initial = context.cluster->CurrentAsAdded(info, ns, &state->after);
  } else if (!absl::SimpleAtoi(rv, &state->after)) {
    SendAnswer(FromError(BadRequest(absl::StrCat("invalid resourceVersion \"",
                                                 rv, "\" for a watch"))),
               response);
    return;
  }
  Cluster* cluster = context.cluster;
  auto matches = [info, ns, labels, fields](const WatchEvent& event) {
    if (event.resource != info.resource) return false;
    if (!ns.empty() && event.ns != ns) return false;
    return labels.Matches(
               event.object["metadata"].value("labels", json::object())) &&
           fields.Matches(event.object);
  };
  response.status = 200;
  response.set_chunked_content_provider(
      "application/json",
      [cluster, state, matches](size_t, httplib::DataSink& sink) {
        auto write = [&sink](const WatchEvent& event) {
          std::string line =
              json{{"type", event.type}, {"object", event.object}}.dump() +
              "\n";
          return sink.write(line.data(), line.size());
        };
        for (const WatchEvent& event : state->initial) {
          if (matches(event) && !write(event)) return false;
        }
        state->initial.clear();
        if (absl::Now() >= state->deadline || cluster->stopping()) {
          sink.done();
          return true;
        }
        for (const WatchEvent& event :
             cluster->WaitEvents(state->after, state->deadline)) {
          state->after = event.resource_version;
          if (matches(event) && !write(event)) return false;
        }
        return true;
      });
}

void HandleCollection(const ApiContext& context, const ResourceInfo& info,
                      const std::string& ns, const httplib::Request& request,
                      httplib::Response& response) {
  if (request.method == "POST") {
    if (ns.empty()) {
      SendAnswer(FromError(MethodNotAllowed()), response);
      return;
    }
    if (!JsonContentType(request)) {
      SendAnswer(FromError(UnsupportedMediaType(
                     request.get_header_value("Content-Type"))),
                 response);
      return;
    }
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded()) {
      SendAnswer(FromError(BadRequest(absl::StrCat(
                     "the body of the request is not valid JSON; send the ",
                     info.kind, " as a JSON object"))),
                 response);
      return;
    }
    SendAnswer(context.cluster->Create(info, ns, std::move(body),
                                       Param(request, "fieldValidation"),
                                       Manager(request)),
               response);
    return;
  }
  if (request.method != "GET") {
    SendAnswer(FromError(MethodNotAllowed()), response);
    return;
  }
  absl::StatusOr<LabelSelector> labels =
      LabelSelector::Parse(Param(request, "labelSelector"));
  absl::StatusOr<FieldSelector> fields =
      FieldSelector::Parse(Param(request, "fieldSelector"));
  if (!labels.ok() || !fields.ok()) {
    SendAnswer(
        FromError(BadRequest(std::string(
            (!labels.ok() ? labels.status() : fields.status()).message()))),
        response);
    return;
  }
  // strconv.ParseBool's spellings (python sends "True").
  std::string watch = Param(request, "watch");
  if (watch == "true" || watch == "True" || watch == "TRUE" || watch == "1" ||
      watch == "t" || watch == "T") {
    HandleWatch(context, info, ns, *labels, *fields, request, response);
    return;
  }
  SendAnswer(context.cluster->List(info, ns, *labels, *fields), response);
}

json DeleteOptions(const httplib::Request& request, bool* ok) {
  *ok = true;
  // The body wins; the query counts only without one (handlers/delete.go).
  if (!request.body.empty()) {
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      *ok = false;
      return nullptr;
    }
    return body;
  }
  json options = json::object();
  std::string policy = Param(request, "propagationPolicy");
  if (!policy.empty()) options["propagationPolicy"] = policy;
  std::string orphan = Param(request, "orphanDependents");
  if (orphan == "true") options["orphanDependents"] = true;
  if (orphan == "false") options["orphanDependents"] = false;
  return options;
}

void HandleItem(const ApiContext& context, const ResourceInfo& info,
                const std::string& ns, const std::string& name,
                const std::string& subresource, const httplib::Request& request,
                httplib::Response& response) {
  if (!subresource.empty() &&
      std::find(info.subresources.begin(), info.subresources.end(),
                subresource) == info.subresources.end()) {
    SendNoResource(response);
    return;
  }
  if (subresource == "log") {
    if (request.method != "GET") {
      SendAnswer(FromError(MethodNotAllowed()), response);
      return;
    }
    int64_t tail_lines = -1;
    std::string tail = Param(request, "tailLines");
    if (!tail.empty() &&
        (!absl::SimpleAtoi(tail, &tail_lines) || tail_lines < 0)) {
      SendAnswer(
          FromError(BadRequest(absl::StrCat(
              "tailLines must be a non-negative number, not \"", tail, "\""))),
          response);
      return;
    }
    SendAnswer(context.cluster->Logs(ns, name, Param(request, "container"),
                                     tail_lines),
               response);
    return;
  }
  if (request.method == "GET") {
    SendAnswer(context.cluster->Get(info, ns, name), response);
    return;
  }
  if (request.method == "DELETE" && subresource.empty()) {
    bool ok;
    json options = DeleteOptions(request, &ok);
    if (!ok) {
      SendAnswer(FromError(BadRequest(
                     "the DELETE body is not a JSON DeleteOptions object")),
                 response);
      return;
    }
    SendAnswer(context.cluster->Delete(info, ns, name, options), response);
    return;
  }
  // PUT and PATCH are not implemented: the driver never updates in place
  // (reference section 2, apply).
  SendAnswer(FromError(MethodNotAllowed()), response);
}

}  // namespace

void SendAnswer(const Answer& answer, httplib::Response& response) {
  response.status = answer.code;
  for (const auto& [key, value] : answer.headers) {
    response.headers.emplace(key, value);
  }
  if (answer.body.is_null()) {
    response.set_content(answer.text, "text/plain");
  } else {
    response.set_content(answer.body.dump(), "application/json");
  }
}

void HandleApiRequest(const ApiContext& context,
                      const httplib::Request& request,
                      httplib::Response& response) {
  const std::string& path = request.path;
  bool get = request.method == "GET";
  if (get && path == "/version") {
    SendJson(200, VersionDocument(), response);
    return;
  }
  if (get && path == "/api") {
    SendJson(200, ApiVersionsDocument(context.server_address), response);
    return;
  }
  if (get && path == "/apis") {
    SendJson(200, ApiGroupListDocument(), response);
    return;
  }
  if (get && path == "/openapi/v2") {
    response.status = 200;
    response.set_content(OpenApiV2Protobuf(), kOpenApiV2ProtobufType);
    return;
  }
  if (get && path == "/openapi/v3") {
    SendJson(200, OpenApiV3Root(), response);
    return;
  }
  if (get && absl::StartsWith(path, "/openapi/v3/")) {
    std::optional<json> doc = OpenApiV3GroupVersion(path);
    if (doc.has_value()) {
      SendJson(200, *doc, response);
    } else {
      SendMuxNotFound(response);
    }
    return;
  }
  std::vector<std::string> parts = absl::StrSplit(path, '/', absl::SkipEmpty());
  std::string group, version;
  size_t rest;
  if (parts.size() >= 2 && parts[0] == "api") {
    version = parts[1];
    rest = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    group = parts[1];
    version = parts[2];
    rest = 3;
  } else {
    SendMuxNotFound(response);
    return;
  }
  std::string gv_path =
      group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  std::optional<json> resource_list = ApiResourceListDocument(gv_path);
  if (!resource_list.has_value()) {
    SendMuxNotFound(response);
    return;
  }
  std::vector<std::string> tail(parts.begin() + rest, parts.end());
  if (tail.empty()) {
    if (get) {
      SendJson(200, *resource_list, response);
    } else {
      SendAnswer(FromError(MethodNotAllowed()), response);
    }
    return;
  }
  std::string ns;
  if (tail[0] == "namespaces" && tail.size() >= 3) {
    ns = tail[1];
    tail.erase(tail.begin(), tail.begin() + 2);
  }
  if (group.empty() && !ns.empty() && tail.size() >= 3 &&
      tail[0] == "services" && tail[2] == "proxy") {
    std::string rest;
    for (size_t i = 3; i < tail.size(); ++i)
      absl::StrAppend(&rest, "/", tail[i]);
    // A trailing '/' is part of the proxied path.
    if (!path.empty() && path.back() == '/') rest += "/";
    HandleServiceProxy(*context.cluster, ns, tail[1], rest, request, response);
    return;
  }
  const ResourceInfo* info = FindResource(group, version, tail[0]);
  if (info == nullptr || tail.size() > 3 ||
      (!ns.empty() && !info->namespaced)) {
    SendNoResource(response);
    return;
  }
  if (tail.size() == 1) {
    HandleCollection(context, *info, ns, request, response);
  } else {
    HandleItem(context, *info, ns, tail[1], tail.size() == 3 ? tail[2] : "",
               request, response);
  }
}

}  // namespace tao::fakes::kubernetes
