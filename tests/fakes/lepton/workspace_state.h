// What one fake Lepton workspace holds: its deployments, user secrets and
// image pull secrets, and the flags the control routes set. The secret
// values live only here (and in the containers that reference them).
// Thread-safe.
#ifndef TAO_TESTS_FAKES_LEPTON_WORKSPACE_STATE_H_
#define TAO_TESTS_FAKES_LEPTON_WORKSPACE_STATE_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/lepton/deployment_record.h"

namespace tao::fakes::lepton {

class WorkspaceState {
 public:
  // --- user secrets ([S] api/v2/secret.py, types/secret.py)
  // Sets each name to its value (an existing name is overwritten: not
  // verified against DGXC).
  void PutSecret(const std::string& name, const std::string& value,
                 const std::string& visibility) ABSL_LOCKS_EXCLUDED(mu_);
  bool DeleteSecret(const std::string& name) ABSL_LOCKS_EXCLUDED(mu_);
  std::optional<std::string> SecretValue(const std::string& name) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // [{"name","tags","owner","visibility"}]: never the values.
  nlohmann::json SecretsJson() const ABSL_LOCKS_EXCLUDED(mu_);

  // --- image pull secrets ([T]; [C] handler_imagepullsecret.go)
  // False when the name is taken. `spec` keeps its password.
  bool AddImagePullSecret(const std::string& name, const nlohmann::json& spec)
      ABSL_LOCKS_EXCLUDED(mu_);
  bool DeleteImagePullSecret(const std::string& name) ABSL_LOCKS_EXCLUDED(mu_);
  // With the password, for in-process tests.
  std::optional<nlohmann::json> ImagePullSecret(const std::string& name) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // [{"metadata":{"id","name"},"spec":{...}}] without passwords.
  nlohmann::json ImagePullSecretsJson() const ABSL_LOCKS_EXCLUDED(mu_);

  // --- flags (control routes)
  void SetPaused(bool paused) ABSL_LOCKS_EXCLUDED(mu_);
  bool paused() const ABSL_LOCKS_EXCLUDED(mu_);
  // nullopt: GET /workspace has no "features" (the released API).
  void SetNewDeploymentApi(std::optional<bool> enabled)
      ABSL_LOCKS_EXCLUDED(mu_);
  std::optional<bool> new_deployment_api() const ABSL_LOCKS_EXCLUDED(mu_);

  // --- deployments
  // False when the name is taken (also while it is being deleted).
  bool InsertDeployment(std::shared_ptr<DeploymentRecord> record)
      ABSL_LOCKS_EXCLUDED(mu_);
  std::shared_ptr<DeploymentRecord> FindDeployment(
      const std::string& name) const ABSL_LOCKS_EXCLUDED(mu_);
  // Erases `record` if it is still the one under its name.
  void EraseDeployment(const DeploymentRecord* record) ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<std::shared_ptr<DeploymentRecord>> Deployments() const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Names of the deployments whose envs reference user secret `name`.
  std::vector<std::string> DeploymentsUsingSecret(const std::string& name) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Secret {
    std::string value;
    std::string visibility;
  };
  mutable absl::Mutex mu_;
  std::map<std::string, Secret> secrets_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, nlohmann::json> pull_secrets_ ABSL_GUARDED_BY(mu_);
  bool paused_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<bool> new_deployment_api_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::shared_ptr<DeploymentRecord>> deployments_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_WORKSPACE_STATE_H_
