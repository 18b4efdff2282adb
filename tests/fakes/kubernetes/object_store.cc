#include "tests/fakes/kubernetes/object_store.h"

#include <algorithm>
#include <utility>

namespace tao::fakes::kubernetes {

using nlohmann::json;

namespace {
// Enough history for any test's watch; older events are dropped (a real
// server answers 410 Gone for them, which the fake does not do).
constexpr size_t kMaxEvents = 20000;
}  // namespace

const json* ObjectStore::Get(const std::string& resource, const std::string& ns,
                             const std::string& name) const {
  auto it = objects_.find({resource, ns, name});
  return it == objects_.end() ? nullptr : &it->second;
}

std::vector<json> ObjectStore::List(const std::string& resource,
                                    const std::string& ns) const {
  std::vector<json> out;
  for (const auto& [key, object] : objects_) {
    if (std::get<0>(key) != resource) continue;
    if (!ns.empty() && std::get<1>(key) != ns) continue;
    out.push_back(object);
  }
  return out;
}

json ObjectStore::Put(const std::string& resource, const std::string& ns,
                      const std::string& name, json object, bool created) {
  ++resource_version_;
  object["metadata"]["resourceVersion"] = std::to_string(resource_version_);
  objects_[{resource, ns, name}] = object;
  events_.push_back({resource_version_, created ? "ADDED" : "MODIFIED",
                     resource, ns, object});
  if (events_.size() > kMaxEvents) {
    events_.erase(events_.begin(), events_.begin() + kMaxEvents / 2);
  }
  return object;
}

json ObjectStore::Remove(const std::string& resource, const std::string& ns,
                         const std::string& name) {
  auto it = objects_.find({resource, ns, name});
  json object = std::move(it->second);
  objects_.erase(it);
  ++resource_version_;
  object["metadata"]["resourceVersion"] = std::to_string(resource_version_);
  events_.push_back({resource_version_, "DELETED", resource, ns, object});
  return object;
}

std::vector<WatchEvent> ObjectStore::EventsAfter(int64_t after) const {
  auto first = std::upper_bound(
      events_.begin(), events_.end(), after,
      [](int64_t rv, const WatchEvent& e) { return rv < e.resource_version; });
  return std::vector<WatchEvent>(first, events_.end());
}

}  // namespace tao::fakes::kubernetes
