// Small helpers on an object's metadata, shared by the Cluster's files.
#ifndef TAO_TESTS_FAKES_KUBERNETES_OBJECT_META_H_
#define TAO_TESTS_FAKES_KUBERNETES_OBJECT_META_H_

#include <string>

#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

inline std::string Name(const nlohmann::json& object) {
  return object["metadata"].value("name", "");
}

void AddFinalizer(nlohmann::json& object, const std::string& finalizer);
// Drops the finalizers list when it becomes empty.
void RemoveFinalizer(nlohmann::json& object, const std::string& finalizer);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_OBJECT_META_H_
