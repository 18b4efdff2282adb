// The RBAC rules of docs/kubernetes-rbac.yaml, and the access an API
// request needs (the authorizer's view: API group, resource or
// resource/subresource, verb, namespaced or not), so that tests can prove
// that the documented rules allow everything the driver does.
#ifndef TAO_TESTS_INTEGRATION_KUBERNETES_RBAC_RULES_H_
#define TAO_TESTS_INTEGRATION_KUBERNETES_RBAC_RULES_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tao::integration::kubernetes {

struct RbacRule {
  std::set<std::string> api_groups;
  std::set<std::string> resources;
  std::set<std::string> verbs;
};

struct RbacPolicy {
  std::vector<RbacRule> role;          // in the driver's namespace
  std::vector<RbacRule> cluster_role;  // everywhere
};

// The rules of every Role and ClusterRole in the file (bindings ignored).
absl::StatusOr<RbacPolicy> LoadRbacPolicy(const std::string& path);

struct ApiAccess {
  std::string api_group;    // "" for the core group
  std::string resource;     // "pods" or "pods/log"
  std::string verb;         // get list watch create delete
  bool namespaced = false;  // a path under /namespaces/<ns>/
  std::string Describe() const;
};

// The access `method` on `path` (no query) needs; nullopt for paths the
// authorizer does not check as resources (discovery, /version).
std::optional<ApiAccess> AccessOf(const std::string& method,
                                  const std::string& path, bool watch);

bool Allows(const RbacPolicy& policy, const ApiAccess& access);

}  // namespace tao::integration::kubernetes

#endif  // TAO_TESTS_INTEGRATION_KUBERNETES_RBAC_RULES_H_
