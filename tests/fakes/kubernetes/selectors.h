// labelSelector and fieldSelector query parameters (the string forms of
// apimachinery's labels.Parse and fields.ParseSelector).
#ifndef TAO_TESTS_FAKES_KUBERNETES_SELECTORS_H_
#define TAO_TESTS_FAKES_KUBERNETES_SELECTORS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

class LabelSelector {
 public:
  // "a=b,c!=d,e,!f,g in (x,y),h notin (z)"; empty matches everything.
  static absl::StatusOr<LabelSelector> Parse(const std::string& text);
  bool Matches(const nlohmann::json& labels) const;

 private:
  struct Requirement {
    std::string key;
    std::string op;  // "=", "!=", "in", "notin", "exists", "!"
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

class FieldSelector {
 public:
  // "metadata.name=x,status.phase!=Running"; only metadata.name,
  // metadata.namespace and (pods) status.phase are supported, as for the
  // real server's job and pod field sets.
  static absl::StatusOr<FieldSelector> Parse(const std::string& text);
  bool Matches(const nlohmann::json& object) const;

 private:
  struct Requirement {
    std::string field;
    bool equal = true;
    std::string value;
  };
  std::vector<Requirement> requirements_;
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_SELECTORS_H_
