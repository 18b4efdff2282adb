// The fake's etcd: objects by (resource, namespace, name), one
// resourceVersion counter for all of them (the real server's is etcd's
// revision, an opaque string to clients), and the event history watches
// read. Not thread-safe: the Cluster that owns it holds its lock.
#ifndef TAO_TESTS_FAKES_KUBERNETES_OBJECT_STORE_H_
#define TAO_TESTS_FAKES_KUBERNETES_OBJECT_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

struct WatchEvent {
  int64_t resource_version = 0;
  std::string type;  // ADDED, MODIFIED, DELETED
  std::string resource;
  std::string ns;
  nlohmann::json object;
};

class ObjectStore {
 public:
  // nullptr when absent.
  const nlohmann::json* Get(const std::string& resource, const std::string& ns,
                            const std::string& name) const;
  // ns "" lists every namespace. Sorted by namespace, then name.
  std::vector<nlohmann::json> List(const std::string& resource,
                                   const std::string& ns) const;
  // Stamp metadata.resourceVersion, store, record the event; return the
  // stored object.
  nlohmann::json Put(const std::string& resource, const std::string& ns,
                     const std::string& name, nlohmann::json object,
                     bool created);
  // Removes the object (must exist); the DELETED event carries a new
  // resourceVersion. Returns the removed object.
  nlohmann::json Remove(const std::string& resource, const std::string& ns,
                        const std::string& name);

  int64_t resource_version() const { return resource_version_; }
  // Events with resource_version > after, oldest first.
  std::vector<WatchEvent> EventsAfter(int64_t after) const;

 private:
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, nlohmann::json> objects_;
  std::vector<WatchEvent> events_;
  int64_t resource_version_ = 1000;
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_OBJECT_STORE_H_
