// The "lepton" platform: each service runs as a DGX Cloud Lepton
// Deployment (one replica; a Lepton Job exposes no endpoint), created over
// the workspace's REST API (lepton_api.h). host_url is the deployment's
// external endpoint, which takes the API token this driver gives each
// deployment: every readiness probe and Infer carries it
// (EndpointHeaders). The token is never stored; a restarted server reads
// it back from the deployment's spec.
//
// Secrets (HF_TOKEN, ...) go into per-deployment Lepton user secrets named
// "<deployment>-<variable>" that the deployment's envs reference, so no
// value enters a deployment spec. An NGC key makes an nvcr.io image-pull
// secret, created once and shared by every deployment.
//
// Environment (read once at server start; the LEPTON_* credentials at the
// first call that needs them, so a server without them still starts):
//   LEPTON_WORKSPACE_ID, LEPTON_WORKSPACE_TOKEN (or LEPTON_AUTH_TOKEN),
//   LEPTON_WORKSPACE_URL, LEPTON_WORKSPACE_ORIGIN_URL  (lepton_settings.h)
//   TAO_LEPTON_RESOURCE_SHAPE   default resource shape (lepton.resource_shape)
//   TAO_LEPTON_NODE_GROUP       default dedicated node group, name or id
//   TAO_LEPTON_IMAGE_PULL_SECRET  the image-pull secret's name (default
//                               tao-nvcr-io); without an NGC key, a secret
//                               of that name made by hand is used as is
//   NGC_API_KEY (or NGC_KEY)    nvcr.io pull credentials
// A Start's env LEPTON_SHARED_MEMORY_SIZE (MiB) sets the deployment's
// /dev/shm (default 16 GiB).
//
// Tested against the fake workspace (tests/fakes/lepton), whose
// deployments run on the real Docker engine.
#ifndef TAO_PLATFORMS_LEPTON_LEPTON_PLATFORM_H_
#define TAO_PLATFORMS_LEPTON_LEPTON_PLATFORM_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "platforms/lepton/deployment_spec.h"
#include "platforms/lepton/lepton_api.h"
#include "platforms/lepton/lepton_settings.h"
#include "platforms/platform.h"

namespace tao::platforms::lepton {

class LeptonPlatform : public Platform {
 public:
  struct Options {
    // The environment the LEPTON_* credentials are read from; null: the
    // process's.
    Getenv getenv;
    std::string resource_shape;
    std::string node_group;
    std::string image_pull_secret = "tao-nvcr-io";
    // A secret: never logged or put into a message.
    std::string ngc_api_key;
    int64_t shared_memory_mib = 16 * 1024;
    absl::Duration request_timeout = absl::Seconds(30);
    // Polling of the deployment during Launch ([T] polls every 5 s).
    absl::Duration poll_min = absl::Milliseconds(200);
    absl::Duration poll_max = absl::Seconds(5);
    // How long Terminate waits for a deleted deployment to be gone before
    // it deletes the deployment's secrets (Lepton refuses to delete a
    // secret in use).
    absl::Duration delete_wait = absl::Seconds(120);
    int failure_log_lines = 20;
  };

  // Errors: INVALID_ARGUMENT for a bad TAO_LEPTON_* value.
  static absl::StatusOr<Options> OptionsFromEnvironment(
      const Getenv& getenv = nullptr);
  static absl::StatusOr<std::unique_ptr<LeptonPlatform>> Create(
      Options options);

  absl::string_view name() const override { return "lepton"; }
  absl::string_view execution_backend() const override { return "lepton"; }
  // Endpoints are Lepton's own URLs: no host port.
  std::string HostPortScope(const LaunchSpec& spec) const override;
  // Options: resource_shape, dedicated_node_group.
  absl::Status ValidateOptions(
      const std::map<std::string, std::string>& options) const override;

  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override;
  // From the deployment, its readiness issues and its termination records
  // (deployment_status.h).
  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override;
  // Inspect; a running deployment without a host_url (a launch a restart
  // cut short) gets its endpoint.
  absl::StatusOr<RuntimeState> EnsureReachable(Placement& placement) override;
  // EnsureReachable; for a deployment that is gone also deletes the user
  // secrets a launch cut short may have left.
  absl::StatusOr<RuntimeState> Reattach(Placement& placement) override;
  // "Authorization: Bearer <the deployment's API token>".
  absl::StatusOr<std::vector<std::string>> EndpointHeaders(
      const Placement& placement) override;
  // Deletes the deployment, waits until it is gone, then deletes its user
  // secrets; what is gone already is fine.
  absl::Status Terminate(const Placement& placement) override;
  // The replica's last lines from the history log route (/logs), which
  // answers at once; the live log route follows the log and never ends.
  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override;
  // Deployments labelled with this server instance.
  absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance) override;

 private:
  explicit LeptonPlatform(Options options);

  // A deployment's state and, when it exists, its LeptonDeployment JSON.
  struct Observed {
    RuntimeState state;
    nlohmann::json deployment;  // null when there is none
  };

  // The API client; the settings' error (retried at the next call) while
  // the LEPTON_* variables are missing or wrong.
  absl::StatusOr<LeptonApi*> Api() ABSL_LOCKS_EXCLUDED(mu_);
  // The deployment's inputs for `spec` (all but the secrets' and pull
  // secret's names); `workspace` is the preflight's WorkspaceInfo.
  absl::StatusOr<DeploymentInputs> InputsFor(LeptonApi& api,
                                             const LaunchSpec& spec,
                                             const nlohmann::json& workspace);
  // The dedicated node group's id for `wanted` (an id or a name).
  absl::StatusOr<std::string> NodeGroupId(LeptonApi& api,
                                          const std::string& wanted);
  // The image-pull secrets for `image`: the nvcr.io one (created when an
  // NGC key is set and it is missing), or none.
  absl::StatusOr<std::vector<std::string>> PullSecretsFor(
      LeptonApi& api, const std::string& image);
  // Creates the user secrets of `spec.secret_env`; their names by variable.
  absl::StatusOr<std::map<std::string, std::string>> CreateSecrets(
      LeptonApi& api, const std::string& deployment, const LaunchSpec& spec);
  // POST /deployments; a deployment of that name carrying this job id (a
  // retried create whose answer was lost) counts as created.
  absl::Status CreateDeployment(LeptonApi& api, const DeploymentInputs& in);
  absl::StatusOr<Observed> Observe(LeptonApi& api, const std::string& name);
  // Polls until the deployment is Ready; kExited, kMissing and the
  // deadline are errors. The deployment's JSON on success.
  absl::StatusOr<nlohmann::json> AwaitReady(LeptonApi& api,
                                            const LaunchSpec& spec,
                                            const std::string& name,
                                            const ProgressCallback& progress);
  // The deployment's last `lines` log lines ("" when none).
  absl::StatusOr<std::string> LogTail(LeptonApi& api, const std::string& name,
                                      int lines);
  // Deletes every user secret named "<deployment>-...".
  absl::Status DeleteSecretsOf(LeptonApi& api, const std::string& deployment);
  // Keeps the API token of a deployment read from Lepton (its spec).
  void RememberToken(const std::string& job_id,
                     const nlohmann::json& deployment) ABSL_LOCKS_EXCLUDED(mu_);

  const Options options_;
  absl::Mutex mu_;
  std::unique_ptr<LeptonApi> api_ ABSL_GUARDED_BY(mu_);
  // API token by job id ("" for a public endpoint); filled by Launch and
  // on first use after a restart.
  std::map<std::string, std::string> tokens_ ABSL_GUARDED_BY(mu_);
};

absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment();

}  // namespace tao::platforms::lepton

#endif  // TAO_PLATFORMS_LEPTON_LEPTON_PLATFORM_H_
