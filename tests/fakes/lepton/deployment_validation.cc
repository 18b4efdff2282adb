#include "tests/fakes/lepton/deployment_validation.h"

#include <algorithm>
#include <regex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tao::fakes::lepton {
namespace {

using nlohmann::json;

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Keys of `object` that are not in `known`, as "prefix.key".
void ListUnknown(const json& object, const std::set<std::string>& known,
                 const std::string& prefix, std::vector<std::string>* out) {
  if (!object.is_object()) return;
  for (const auto& [key, value] : object.items()) {
    if (known.count(key) == 0) out->push_back(absl::StrCat(prefix, key));
  }
}

// The LeptonDeploymentUserSpec fields of [S] api/v2/types/deployment.py.
const std::set<std::string>& SpecFields() {
  static const auto* fields =
      new std::set<std::string>{"container",
                                "resource_requirement",
                                "auto_scaler",
                                "api_tokens",
                                "envs",
                                "mounts",
                                "reservation_config",
                                "image_pull_secrets",
                                "health",
                                "is_pod",
                                "user_security_context",
                                "log",
                                "metrics",
                                "routing_policy",
                                "queue_config",
                                "scheduling_policy",
                                "auth_config",
                                "ingress_enabled",
                                "ingress_timeout_seconds",
                                "load_balance_config"};
  return *fields;
}

std::optional<ApiError> CheckContainer(const json& container) {
  if (!container.is_object() || !container.contains("image") ||
      !container["image"].is_string() ||
      container["image"].get<std::string>().empty()) {
    // Wording not verified.
    return InvalidSpec("container image is required");
  }
  if (container.contains("command")) {
    const json& command = container["command"];
    if (!command.is_array() ||
        !std::all_of(command.begin(), command.end(),
                     [](const json& c) { return c.is_string(); })) {
      return InvalidRequest(
          "malformed deployment spec: container.command must be a list of "
          "strings");
    }
  }
  for (const json& port : container.value("ports", json::array())) {
    // Range and protocols as [S] ContainerPort's validators; the server's
    // wording is not verified.
    const int number = port.value("container_port", 0);
    if (number < 1 || number > 65535) {
      return InvalidSpec(absl::StrCat("invalid container port ", number,
                                      ": must be between 1 and 65535"));
    }
    const std::string protocol =
        absl::AsciiStrToUpper(port.value("protocol", "TCP"));
    if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP") {
      return InvalidSpec(absl::StrCat("invalid protocol ", protocol,
                                      ": must be TCP, UDP or SCTP"));
    }
  }
  return std::nullopt;
}

std::optional<ApiError> CheckResources(json& resources,
                                       const ValidationRules& rules) {
  if (!resources.is_object()) resources = json::object();
  std::string shape = absl::AsciiStrToLower(
      resources.value("resource_shape", std::string("cpu.small")));
  const std::vector<std::string>& shapes =
      rules.shapes.empty() ? KnownShapes() : rules.shapes;
  if (!Contains(shapes, shape)) {
    // Wording not verified; it names the shape and what is offered.
    return InvalidSpec(absl::StrCat("resource shape ", shape,
                                    " is not supported in this workspace; "
                                    "supported shapes: ",
                                    absl::StrJoin(shapes, ", ")));
  }
  resources["resource_shape"] = shape;
  const bool has_min = resources.contains("min_replicas");
  const int min = resources.value("min_replicas", 1);
  if (min < 0) {
    return InvalidSpec(
        absl::StrCat("min_replicas must be non-negative, got ", min));
  }
  if (resources.contains("max_replicas")) {
    const int max = resources["max_replicas"].get<int>();
    if (!has_min) return InvalidSpec("max_replicas needs min_replicas");
    if (max < min) {
      return InvalidSpec(absl::StrCat("max_replicas (", max,
                                      ") must not be below min_replicas (", min,
                                      ")"));
    }
  }
  if (resources.value("shared_memory_size", 0) < 0) {
    return InvalidSpec("shared_memory_size must be non-negative");
  }
  const json affinity = resources.value("affinity", json::object());
  for (const json& group :
       affinity.value("allowed_dedicated_node_groups", json::array())) {
    const std::string id = group.is_string() ? group.get<std::string>() : "";
    if (!Contains(rules.node_group_ids, id)) {
      // The affinity takes node group ids (lepton-api.md §4); the wording
      // is not verified.
      return InvalidSpec(
          absl::StrCat("dedicated node group ", id, " not found"));
    }
  }
  return std::nullopt;
}

std::optional<ApiError> CheckEnvs(const json& envs) {
  if (!envs.is_array()) {
    return InvalidRequest("malformed deployment spec: envs must be a list");
  }
  for (const json& env : envs) {
    const std::string name = env.value("name", "");
    if (name.empty()) return InvalidSpec("an env var has no name");
    const bool has_value = env.contains("value");
    const std::string ref =
        env.value("value_from", json::object()).value("secret_name_ref", "");
    if (has_value == !ref.empty()) {
      return InvalidSpec(absl::StrCat(
          "env ", name,
          " needs exactly one of value and value_from.secret_name_ref"));
    }
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& KnownShapes() {
  static const auto* shapes = new std::vector<std::string>{
      "cpu.small",      "cpu.medium",      "cpu.large",
      "gpu.1xh100-sxm", "gpu.2xh100-sxm",  "gpu.4xh100-sxm",
      "gpu.8xh100-sxm", "gpu.1xa100-80gb", "gpu.8xa100-80gb"};
  return *shapes;
}

std::optional<ApiError> CheckName(const std::string& name, int limit) {
  // [C] api-server/util/util.go ValidateName: the pattern and its message.
  static const std::regex kPattern("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  if (!std::regex_match(name, kPattern)) {
    return InvalidSpec(absl::StrCat(
        "invalid name ", name,
        ": Name must consist of lower case alphanumeric characters or '-', "
        "and must start with an alphabetical character and end with an "
        "alphanumeric character"));
  }
  if (static_cast<int>(name.size()) > limit) {
    // [C] checks the length too; its wording here is not verified.
    return InvalidSpec(absl::StrCat("invalid name ", name,
                                    ": Name must be no more than ", limit,
                                    " characters"));
  }
  return std::nullopt;
}

std::optional<ApiError> CheckDeployment(const json& body,
                                        const ValidationRules& rules,
                                        CheckedDeployment* out) {
  if (!body.is_object()) {
    return InvalidRequest(
        "malformed deployment spec: the body is not a JSON object");
  }
  try {
    const json metadata = body.value("metadata", json::object());
    std::string name = metadata.value("name", "");
    if (name.empty()) name = metadata.value("id", "");
    if (std::optional<ApiError> bad = CheckName(name, rules.name_limit)) {
      return bad;
    }
    json spec = body.value("spec", json::object());
    if (!spec.is_object()) {
      return InvalidRequest("malformed deployment spec: spec is not an object");
    }
    if (auto bad = CheckContainer(spec.value("container", json())); bad) {
      return bad;
    }
    json resources = spec.value("resource_requirement", json::object());
    if (auto bad = CheckResources(resources, rules); bad) return bad;
    spec["resource_requirement"] = resources;
    if (auto bad = CheckEnvs(spec.value("envs", json::array())); bad) {
      return bad;
    }
    if (spec.contains("ingress_timeout_seconds")) {
      const int timeout = spec["ingress_timeout_seconds"].get<int>();
      if (timeout < 300 || timeout > 6000) {
        return InvalidSpec("ingress_timeout_seconds must be 300-6000");
      }
    }
    for (const json& token : spec.value("api_tokens", json::array())) {
      if (!token.is_object() ||
          (!token.contains("value") && !token.contains("value_from"))) {
        return InvalidSpec("an api token needs value or value_from");
      }
    }
    out->metadata = {{"id", name}, {"name", name}};
    if (metadata.contains("labels"))
      out->metadata["labels"] = metadata["labels"];
    out->unknown_fields.clear();
    ListUnknown(body, {"metadata", "spec", "status"}, "", &out->unknown_fields);
    ListUnknown(spec, SpecFields(), "spec.", &out->unknown_fields);
    // Go's decoder drops them, so the stored (and answered) spec has none.
    for (const std::string& field : out->unknown_fields) {
      if (field.rfind("spec.", 0) == 0) spec.erase(field.substr(5));
    }
    out->spec = std::move(spec);
  } catch (const json::exception& e) {
    // A field of the wrong type, e.g. a numeric min_replicas as a string.
    return InvalidRequest(
        absl::StrCat("malformed deployment spec: ", e.what()));
  }
  return std::nullopt;
}

}  // namespace tao::fakes::lepton
