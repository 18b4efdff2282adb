#include "tests/fakes/lepton/workspace_state.h"

#include <utility>

namespace tao::fakes::lepton {

using nlohmann::json;

void WorkspaceState::PutSecret(const std::string& name,
                               const std::string& value,
                               const std::string& visibility) {
  absl::MutexLock lock(&mu_);
  secrets_[name] = {value, visibility};
}

bool WorkspaceState::DeleteSecret(const std::string& name) {
  absl::MutexLock lock(&mu_);
  return secrets_.erase(name) > 0;
}

std::optional<std::string> WorkspaceState::SecretValue(
    const std::string& name) const {
  absl::MutexLock lock(&mu_);
  auto it = secrets_.find(name);
  if (it == secrets_.end()) return std::nullopt;
  return it->second.value;
}

json WorkspaceState::SecretsJson() const {
  absl::MutexLock lock(&mu_);
  json list = json::array();
  for (const auto& [name, secret] : secrets_) {
    list.push_back({{"name", name},
                    {"tags", json::array()},
                    {"owner", ""},
                    {"visibility", secret.visibility}});
  }
  return list;
}

bool WorkspaceState::AddImagePullSecret(const std::string& name,
                                        const json& spec) {
  absl::MutexLock lock(&mu_);
  return pull_secrets_.emplace(name, spec).second;
}

bool WorkspaceState::DeleteImagePullSecret(const std::string& name) {
  absl::MutexLock lock(&mu_);
  return pull_secrets_.erase(name) > 0;
}

std::optional<json> WorkspaceState::ImagePullSecret(
    const std::string& name) const {
  absl::MutexLock lock(&mu_);
  auto it = pull_secrets_.find(name);
  if (it == pull_secrets_.end()) return std::nullopt;
  return it->second;
}

json WorkspaceState::ImagePullSecretsJson() const {
  absl::MutexLock lock(&mu_);
  json list = json::array();
  for (const auto& [name, spec] : pull_secrets_) {
    json shown = spec;
    shown.erase("password");  // not shown back (the fake's choice)
    list.push_back(
        {{"metadata", {{"id", name}, {"name", name}}}, {"spec", shown}});
  }
  return list;
}

void WorkspaceState::SetPaused(bool paused) {
  absl::MutexLock lock(&mu_);
  paused_ = paused;
}

bool WorkspaceState::paused() const {
  absl::MutexLock lock(&mu_);
  return paused_;
}

void WorkspaceState::SetNewDeploymentApi(std::optional<bool> enabled) {
  absl::MutexLock lock(&mu_);
  new_deployment_api_ = enabled;
}

std::optional<bool> WorkspaceState::new_deployment_api() const {
  absl::MutexLock lock(&mu_);
  return new_deployment_api_;
}

bool WorkspaceState::InsertDeployment(
    std::shared_ptr<DeploymentRecord> record) {
  absl::MutexLock lock(&mu_);
  const std::string name = record->name();
  return deployments_.emplace(name, std::move(record)).second;
}

std::shared_ptr<DeploymentRecord> WorkspaceState::FindDeployment(
    const std::string& name) const {
  absl::MutexLock lock(&mu_);
  auto it = deployments_.find(name);
  return it == deployments_.end() ? nullptr : it->second;
}

void WorkspaceState::EraseDeployment(const DeploymentRecord* record) {
  absl::MutexLock lock(&mu_);
  auto it = deployments_.find(record->name());
  if (it != deployments_.end() && it->second.get() == record) {
    deployments_.erase(it);
  }
}

std::vector<std::shared_ptr<DeploymentRecord>> WorkspaceState::Deployments()
    const {
  absl::MutexLock lock(&mu_);
  std::vector<std::shared_ptr<DeploymentRecord>> list;
  for (const auto& [name, record] : deployments_) list.push_back(record);
  return list;
}

std::vector<std::string> WorkspaceState::DeploymentsUsingSecret(
    const std::string& name) const {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> users;
  for (const auto& [deployment, record] : deployments_) {
    for (const json& env : record->spec().value("envs", json::array())) {
      if (env.value("value_from", json::object())
              .value("secret_name_ref", "") == name) {
        users.push_back(deployment);
        break;
      }
    }
  }
  return users;
}

}  // namespace tao::fakes::lepton
