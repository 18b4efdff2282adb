// The resource types the fake serves, with the names discovery, Status
// details and list kinds use. One table so that routes, discovery and errors
// cannot disagree.
#ifndef TAO_TESTS_FAKES_KUBERNETES_RESOURCES_H_
#define TAO_TESTS_FAKES_KUBERNETES_RESOURCES_H_

#include <string>
#include <vector>

namespace tao::fakes::kubernetes {

struct ResourceInfo {
  std::string group;     // "" for core
  std::string version;   // "v1"
  std::string resource;  // plural, e.g. "jobs"
  std::string singular;  // "job"
  std::string kind;      // "Job"
  std::vector<std::string> short_names;
  std::vector<std::string> subresources;  // "status", "log"
  bool namespaced = true;

  // "batch/v1" or "v1": the apiVersion of objects.
  std::string ApiVersion() const;
  // "jobs.batch" or "services": the name errors.go uses in messages.
  std::string QualifiedResource() const;
  // "Job.batch" or "Service": the name 422 messages use.
  std::string QualifiedKind() const;
  // "/apis/batch/v1" or "/api/v1".
  std::string GroupVersionPath() const;
};

// Jobs, pods, services, secrets (namespaced) and namespaces.
const std::vector<ResourceInfo>& AllResources();
// nullptr when the fake does not serve that group/version/resource.
const ResourceInfo* FindResource(const std::string& group,
                                 const std::string& version,
                                 const std::string& resource);
const ResourceInfo& JobResource();
const ResourceInfo& PodResource();
const ResourceInfo& ServiceResource();
const ResourceInfo& SecretResource();
const ResourceInfo& NamespaceResource();
const ResourceInfo& NodeResource();

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_RESOURCES_H_
