#include "tests/fakes/kubernetes/object_meta.h"

namespace tao::fakes::kubernetes {

using nlohmann::json;

void AddFinalizer(json& object, const std::string& finalizer) {
  json& list = object["metadata"]["finalizers"];
  if (!list.is_array()) list = json::array();
  for (const json& f : list) {
    if (f == finalizer) return;
  }
  list.push_back(finalizer);
}

void RemoveFinalizer(json& object, const std::string& finalizer) {
  json& meta = object["metadata"];
  if (!meta.contains("finalizers")) return;
  json kept = json::array();
  for (const json& f : meta["finalizers"]) {
    if (f != finalizer) kept.push_back(f);
  }
  if (kept.empty()) {
    meta.erase("finalizers");
  } else {
    meta["finalizers"] = kept;
  }
}

}  // namespace tao::fakes::kubernetes
