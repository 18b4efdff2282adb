#include "tests/fakes/kubernetes/pod_env.h"

#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace tao::fakes::kubernetes {
namespace {

using json = nlohmann::json;

// Sets `name` (replacing an earlier value, keeping its place).
void SetEnv(std::vector<std::pair<std::string, std::string>>& env,
            const std::string& name, const std::string& value) {
  for (auto& [key, old] : env) {
    if (key == name) {
      old = value;
      return;
    }
  }
  env.emplace_back(name, value);
}

std::string Decoded(const json& data, const std::string& key) {
  std::string value;
  absl::Base64Unescape(data.value(key, ""), &value);
  return value;
}

}  // namespace

PodLaunch ResolvePodLaunch(
    const json& pod,
    const std::function<const json*(const std::string&)>& secret) {
  PodLaunch launch;
  launch.pod = pod;
  const json containers = pod["spec"].value("containers", json::array());
  if (containers.empty()) return launch;
  const json& container = containers[0];
  const std::string ns = pod["metadata"].value("namespace", "");
  // kubelet_pods.go: envFrom first, then env, later names winning.
  for (const json& source : container.value("envFrom", json::array())) {
    if (!source.contains("secretRef")) continue;
    const std::string name = source["secretRef"].value("name", "");
    const json* found = secret(name);
    if (found == nullptr) {
      if (source["secretRef"].value("optional", false)) continue;
      launch.config_error = absl::StrCat("secret \"", name, "\" not found");
      return launch;
    }
    const std::string prefix = source.value("prefix", "");
    const json data = found->value("data", json::object());
    for (auto it = data.begin(); it != data.end(); ++it) {
      SetEnv(launch.env, prefix + it.key(), Decoded(data, it.key()));
    }
  }
  for (const json& var : container.value("env", json::array())) {
    const std::string name = var.value("name", "");
    if (!var.contains("valueFrom")) {
      SetEnv(launch.env, name, var.value("value", ""));
      continue;
    }
    const json ref = var["valueFrom"].value("secretKeyRef", json(nullptr));
    if (!ref.is_object()) continue;  // field and resource refs: not modelled
    const std::string secret_name = ref.value("name", "");
    const std::string key = ref.value("key", "");
    const json* found = secret(secret_name);
    const json data = found == nullptr ? json::object()
                                       : found->value("data", json::object());
    if (found == nullptr || !data.contains(key)) {
      if (ref.value("optional", false)) continue;
      launch.config_error =
          found == nullptr
              ? absl::StrCat("secret \"", secret_name, "\" not found")
              : absl::StrCat("couldn't find key ", key, " in Secret ", ns, "/",
                             secret_name);
      return launch;
    }
    SetEnv(launch.env, name, Decoded(data, key));
  }
  return launch;
}

}  // namespace tao::fakes::kubernetes
