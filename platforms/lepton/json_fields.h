// Reading fields of Lepton's JSON answers, which may lack any of them.
#ifndef TAO_PLATFORMS_LEPTON_JSON_FIELDS_H_
#define TAO_PLATFORMS_LEPTON_JSON_FIELDS_H_

#include <string>

#include "nlohmann/json.hpp"

namespace tao::platforms::lepton {

// object[key], or null when `object` is no object or lacks `key`.
inline const nlohmann::json& Member(const nlohmann::json& object,
                                    const char* key) {
  static const nlohmann::json* const kNull = new nlohmann::json();
  if (!object.is_object()) return *kNull;
  auto it = object.find(key);
  return it == object.end() ? *kNull : *it;
}

// object[key] when it is a string, else "".
inline std::string StringAt(const nlohmann::json& object, const char* key) {
  const nlohmann::json& value = Member(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

}  // namespace tao::platforms::lepton

#endif  // TAO_PLATFORMS_LEPTON_JSON_FIELDS_H_
