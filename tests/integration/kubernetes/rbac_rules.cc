#include "tests/integration/kubernetes/rbac_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "yaml-cpp/yaml.h"

namespace tao::integration::kubernetes {
namespace {

std::set<std::string> Strings(const YAML::Node& list) {
  std::set<std::string> out;
  for (const YAML::Node& item : list) out.insert(item.as<std::string>());
  return out;
}

bool RuleAllows(const RbacRule& rule, const ApiAccess& access) {
  auto has = [](const std::set<std::string>& set, const std::string& value) {
    return set.count(value) > 0 || set.count("*") > 0;
  };
  return has(rule.api_groups, access.api_group) &&
         has(rule.resources, access.resource) && has(rule.verbs, access.verb);
}

}  // namespace

absl::StatusOr<RbacPolicy> LoadRbacPolicy(const std::string& path) {
  RbacPolicy policy;
  try {
    for (const YAML::Node& doc : YAML::LoadAllFromFile(path)) {
      const std::string kind = doc["kind"].as<std::string>("");
      if (kind != "Role" && kind != "ClusterRole") continue;
      for (const YAML::Node& rule : doc["rules"]) {
        RbacRule parsed{Strings(rule["apiGroups"]), Strings(rule["resources"]),
                        Strings(rule["verbs"])};
        (kind == "Role" ? policy.role : policy.cluster_role).push_back(parsed);
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", e.what()));
  }
  return policy;
}

std::string ApiAccess::Describe() const {
  return absl::StrCat(verb, " ", resource,
                      api_group.empty() ? "" : "." + api_group,
                      namespaced ? " in a namespace" : " cluster-wide");
}

std::optional<ApiAccess> AccessOf(const std::string& method,
                                  const std::string& path, bool watch) {
  std::vector<std::string> parts = absl::StrSplit(path, '/', absl::SkipEmpty());
  ApiAccess access;
  size_t rest;
  if (parts.size() >= 3 && parts[0] == "api") {
    rest = 2;
  } else if (parts.size() >= 4 && parts[0] == "apis") {
    access.api_group = parts[1];
    rest = 3;
  } else {
    return std::nullopt;  // discovery, /version, /openapi
  }
  std::vector<std::string> tail(parts.begin() + rest, parts.end());
  if (tail.size() >= 3 && tail[0] == "namespaces") {
    access.namespaced = true;
    tail.erase(tail.begin(), tail.begin() + 2);
  }
  access.resource = tail[0];
  const bool named = tail.size() >= 2;
  if (tail.size() >= 3) absl::StrAppend(&access.resource, "/", tail[2]);
  if (method == "GET") {
    access.verb = watch ? "watch" : named ? "get" : "list";
  } else if (method == "POST") {
    access.verb = "create";
  } else if (method == "DELETE") {
    access.verb = named ? "delete" : "deletecollection";
  } else if (method == "PUT") {
    access.verb = "update";
  } else if (method == "PATCH") {
    access.verb = "patch";
  } else {
    access.verb = method;
  }
  return access;
}

bool Allows(const RbacPolicy& policy, const ApiAccess& access) {
  for (const RbacRule& rule : policy.cluster_role) {
    if (RuleAllows(rule, access)) return true;
  }
  if (!access.namespaced) return false;
  for (const RbacRule& rule : policy.role) {
    if (RuleAllows(rule, access)) return true;
  }
  return false;
}

}  // namespace tao::integration::kubernetes
