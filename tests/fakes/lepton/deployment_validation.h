// What the fake checks in a create body before it accepts a deployment:
// the name rules of lepton-api.md §3 (a knob picks the 32- or
// 36-character limit), the field rules of §5 and the shapes and node groups
// the workspace knows. Unknown fields are accepted (Go's json.Unmarshal
// ignores them), dropped, and listed so the fake can log their names.
#ifndef TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_VALIDATION_H_
#define TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_VALIDATION_H_

#include <optional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/fakes/lepton/api_errors.h"

namespace tao::fakes::lepton {

struct ValidationRules {
  int name_limit = 32;
  std::vector<std::string> shapes;          // KnownShapes() by default
  std::vector<std::string> node_group_ids;  // the dedicated node groups
};

// The fake's own list of resource shapes. [S] config.py VALID_SHAPES is
// only a CLI hint; which shapes a DGXC workspace offers depends on it (not
// verified), so tests may pass their own.
const std::vector<std::string>& KnownShapes();

// nullopt when `name` is a valid deployment (or secret) name.
std::optional<ApiError> CheckName(const std::string& name, int limit);

struct CheckedDeployment {
  nlohmann::json metadata;  // {"id","name"} plus labels when given
  // As sent, without unknown fields, resource_shape lower-cased.
  nlohmann::json spec;
  std::vector<std::string> unknown_fields;  // dotted paths, names only
};

// Checks a POST /deployments body. nullopt and `out` filled when it is
// accepted; the 400 to answer otherwise.
std::optional<ApiError> CheckDeployment(const nlohmann::json& body,
                                        const ValidationRules& rules,
                                        CheckedDeployment* out);

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_VALIDATION_H_
