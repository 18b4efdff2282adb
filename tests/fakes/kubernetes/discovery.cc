#include "tests/fakes/kubernetes/discovery.h"

#include "absl/strings/str_cat.h"
#include "tests/fakes/kubernetes/resources.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

// Only the verbs the fake implements (no patch/update/deletecollection).
json Verbs(const ResourceInfo& info) {
  // Namespaces and the node are made by the fake, not by clients.
  if (!info.namespaced) return {"get", "list", "watch"};
  return {"create", "delete", "get", "list", "watch"};
}

}  // namespace

json VersionDocument() {
  return {{"major", "1"},
          {"minor", "31"},
          {"gitVersion", "v1.31.0"},
          {"gitCommit", "0000000000000000000000000000000000000000"},
          {"gitTreeState", "clean"},
          {"buildDate", "2026-01-01T00:00:00Z"},
          {"goVersion", "go1.22.5"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

json ApiVersionsDocument(const std::string& server_address) {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs",
           json::array({{{"clientCIDR", "0.0.0.0/0"},
                         {"serverAddress", server_address}}})}};
}

json ApiGroupListDocument() {
  json version = {{"groupVersion", "batch/v1"}, {"version", "v1"}};
  return {{"kind", "APIGroupList"},
          {"apiVersion", "v1"},
          {"groups", json::array({{{"name", "batch"},
                                   {"versions", json::array({version})},
                                   {"preferredVersion", version}}})}};
}

std::optional<json> ApiResourceListDocument(const std::string& path) {
  json resources = json::array();
  std::string group_version;
  for (const ResourceInfo& info : AllResources()) {
    if (info.GroupVersionPath() != path) continue;
    group_version = info.ApiVersion();
    json entry = {{"name", info.resource},
                  {"singularName", info.singular},
                  {"namespaced", info.namespaced},
                  {"kind", info.kind},
                  {"verbs", Verbs(info)}};
    if (!info.short_names.empty()) entry["shortNames"] = info.short_names;
    resources.push_back(entry);
    for (const std::string& sub : info.subresources) {
      resources.push_back(
          {{"name", absl::StrCat(info.resource, "/", sub)},
           {"singularName", ""},
           {"namespaced", info.namespaced},
           {"kind", info.kind},
           {"verbs", sub == "log" ? json({"get"}) : json({"get"})}});
    }
  }
  if (group_version.empty()) return std::nullopt;
  return json{{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", group_version},
              {"resources", resources}};
}

json OpenApiV3Root() {
  // kubectl follows serverRelativeURL with its query kept; the hashes only
  // need to be stable.
  return {{"paths",
           {{"api/v1", {{"serverRelativeURL", "/openapi/v3/api/v1?hash=C0"}}},
            {"apis/batch/v1",
             {{"serverRelativeURL", "/openapi/v3/apis/batch/v1?hash=B0"}}}}}};
}

std::optional<json> OpenApiV3GroupVersion(const std::string& path) {
  // kubectl only checks that the PATCH operation of the kind takes a
  // fieldValidation parameter
  // (staging/src/k8s.io/cli-runtime/pkg/resource/query_param_verifier_v3.go).
  json paths = json::object();
  bool any = false;
  for (const ResourceInfo& info : AllResources()) {
    if ("/openapi/v3" + info.GroupVersionPath() != path || !info.namespaced) {
      continue;
    }
    any = true;
    std::string route =
        absl::StrCat(info.GroupVersionPath(), "/namespaces/{namespace}/",
                     info.resource, "/{name}");
    paths[route] = {{"patch",
                     {{"x-kubernetes-group-version-kind",
                       {{"group", info.group},
                        {"version", info.version},
                        {"kind", info.kind}}},
                      {"parameters", json::array({{{"name", "fieldValidation"},
                                                   {"in", "query"}}})},
                      {"responses", json::object()}}}};
  }
  if (!any) return std::nullopt;
  return json{{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", "v1.31.0"}}},
              {"paths", paths}};
}

}  // namespace tao::fakes::kubernetes
