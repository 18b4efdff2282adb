// Runs one deployment's replica on the real local Docker engine, as
// lepton-api.md §9 describes, and reports what happens to its
// DeploymentRecord:
//   - readiness InProgress "Pulling image" while the engine gets the image;
//     ConfigError "Failed to pull image: not found" when it cannot ([C]
//     api-server/httpapi/type_readiness.go), retried; the state stays
//     Starting;
//   - envs resolved from the workspace's user secrets; a missing one gives
//     ConfigError "Secret not found" ([C] ibid.), retried;
//   - the container (command[0] as the entry point, the rest as its
//     arguments; shm from shared_memory_size in MiB; no GPU); Ready once a
//     TCP probe of the first container port succeeds ([C]'s operator uses a
//     tcpSocket probe: "Ready" means only that the port accepts
//     connections);
//   - when the container exits, a termination record (exit code, reason
//     Error|Completed|OOMKilled) and a restart after a backoff, the state
//     Not Ready (Starting if it was never ready), or Error with
//     `crash_state_error` ([C] transitionState keeps crash loops
//     non-terminal);
//   - Delete(): Deleting, the container removed, after `delete_delay` the
//     record leaves the workspace (GET answers 404).
// Every step is an event. The endpoint listener (EndpointProxy) belongs to
// the runner and closes with it.
#ifndef TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_RUNNER_H_
#define TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_RUNNER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/fakes/common/docker_containers.h"
#include "tests/fakes/lepton/deployment_record.h"
#include "tests/fakes/lepton/endpoint_proxy.h"
#include "tests/fakes/lepton/workspace_state.h"

namespace tao::fakes::lepton {

// Container labels.
inline constexpr char kOwnerLabel[] = "fake-lepton.owner";
inline constexpr char kWorkspaceLabel[] = "fake-lepton.workspace";
inline constexpr char kDeploymentLabel[] = "fake-lepton.deployment";

struct RunnerOptions {
  std::string workspace;
  std::string owner;
  absl::Duration probe_interval = absl::Milliseconds(500);
  absl::Duration restart_backoff = absl::Seconds(1);
  // Between attempts after a pull failure or a missing secret.
  absl::Duration retry_interval = absl::Seconds(1);
  absl::Duration delete_delay = absl::Milliseconds(500);
  bool crash_state_error = false;
};

class DeploymentRunner {
 public:
  // Opens the endpoint (its URL becomes the record's external endpoint)
  // and starts the replica's life on a thread of its own.
  static absl::StatusOr<std::unique_ptr<DeploymentRunner>> Start(
      std::shared_ptr<DeploymentRecord> record, WorkspaceState* workspace,
      DockerContainers* docker, RunnerOptions options);
  // Stops the thread, removes the container and closes the endpoint.
  ~DeploymentRunner();

  void Delete() ABSL_LOCKS_EXCLUDED(mu_);
  const std::string& container_name() const { return container_name_; }

  // "fake-lepton-<workspace>-<replica id>" (engine-safe characters).
  static std::string ContainerName(const std::string& workspace,
                                   const std::string& replica_id);

 private:
  DeploymentRunner(std::shared_ptr<DeploymentRecord> record,
                   WorkspaceState* workspace, DockerContainers* docker,
                   RunnerOptions options);
  void Loop();
  // One attempt to start the container and watch it until it exits. False
  // when the loop should end (stopped or deleted).
  bool RunOnce(bool* ever_ready);
  // Sleeps `d` unless stopped or deleted first; false then.
  bool Pause(absl::Duration d) ABSL_LOCKS_EXCLUDED(mu_);
  bool Ending() const ABSL_LOCKS_EXCLUDED(mu_);
  void FinishDelete();

  const std::shared_ptr<DeploymentRecord> record_;
  WorkspaceState* const workspace_;
  DockerContainers* const docker_;
  const RunnerOptions options_;
  const std::string container_name_;
  std::unique_ptr<EndpointProxy> endpoint_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool deleting_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_RUNNER_H_
