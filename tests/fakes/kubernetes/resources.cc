#include "tests/fakes/kubernetes/resources.h"

namespace tao::fakes::kubernetes {

std::string ResourceInfo::ApiVersion() const {
  return group.empty() ? version : group + "/" + version;
}

std::string ResourceInfo::QualifiedResource() const {
  return group.empty() ? resource : resource + "." + group;
}

std::string ResourceInfo::QualifiedKind() const {
  return group.empty() ? kind : kind + "." + group;
}

std::string ResourceInfo::GroupVersionPath() const {
  return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
}

const std::vector<ResourceInfo>& AllResources() {
  static const auto* resources = new std::vector<ResourceInfo>{
      {"batch", "v1", "jobs", "job", "Job", {}, {"status"}, true},
      {"", "v1", "pods", "pod", "Pod", {"po"}, {"log", "status"}, true},
      {"", "v1", "services", "service", "Service", {"svc"}, {"status"}, true},
      {"", "v1", "secrets", "secret", "Secret", {}, {}, true},
      {"", "v1", "namespaces", "namespace", "Namespace", {"ns"}, {}, false},
      {"", "v1", "nodes", "node", "Node", {"no"}, {"status"}, false},
  };
  return *resources;
}

const ResourceInfo* FindResource(const std::string& group,
                                 const std::string& version,
                                 const std::string& resource) {
  for (const ResourceInfo& info : AllResources()) {
    if (info.group == group && info.version == version &&
        info.resource == resource) {
      return &info;
    }
  }
  return nullptr;
}

const ResourceInfo& JobResource() { return AllResources()[0]; }
const ResourceInfo& PodResource() { return AllResources()[1]; }
const ResourceInfo& ServiceResource() { return AllResources()[2]; }
const ResourceInfo& SecretResource() { return AllResources()[3]; }
const ResourceInfo& NamespaceResource() { return AllResources()[4]; }
const ResourceInfo& NodeResource() { return AllResources()[5]; }

}  // namespace tao::fakes::kubernetes
