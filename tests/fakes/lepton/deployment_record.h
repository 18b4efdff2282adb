// One deployment as the fake's API shows it: its metadata and spec as
// created, and the status its runner reports (state, the replica's
// readiness, terminations and events). Thread-safe: the API reads it while
// the deployment's runner writes to it.
#ifndef TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_RECORD_H_
#define TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_RECORD_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/tcp_forwarder.h"

namespace tao::fakes::lepton {

// LeptonDeploymentState values ([S] api/v2/types/deployment.py).
inline constexpr char kStarting[] = "Starting";
inline constexpr char kReady[] = "Ready";
inline constexpr char kNotReady[] = "Not Ready";
inline constexpr char kDeleting[] = "Deleting";
inline constexpr char kError[] = "Error";

struct Termination {
  absl::Time started_at;
  absl::Time finished_at;
  int exit_code = 0;
  std::string reason;  // "Error" | "Completed" | "OOMKilled"
  std::string message;
};

class DeploymentRecord {
 public:
  DeploymentRecord(nlohmann::json metadata, nlohmann::json spec,
                   std::string replica_id, std::string internal_endpoint);

  const std::string& name() const { return name_; }
  const std::string& replica_id() const { return replica_id_; }
  const nlohmann::json& spec() const { return spec_; }
  // The values of spec.api_tokens[].value (empty: a public endpoint).
  std::vector<std::string> ApiTokens() const;
  // The first container port (0: none).
  int ContainerPort() const;

  void SetExternalEndpoint(const std::string& url) ABSL_LOCKS_EXCLUDED(mu_);
  // Deleting is final: later calls are ignored.
  void SetState(const std::string& state) ABSL_LOCKS_EXCLUDED(mu_);
  std::string state() const ABSL_LOCKS_EXCLUDED(mu_);
  // The replica's current readiness issue (one at a time).
  void SetReadiness(const std::string& reason, const std::string& message)
      ABSL_LOCKS_EXCLUDED(mu_);
  void AddTermination(const Termination& termination) ABSL_LOCKS_EXCLUDED(mu_);
  // Repeats of the last event's type and reason count up, as Kubernetes
  // events do.
  void AddEvent(const std::string& type, const std::string& reason,
                const std::string& message) ABSL_LOCKS_EXCLUDED(mu_);
  // Where the running container listens (nullopt: none running).
  void SetBackend(std::optional<TcpBackend> backend) ABSL_LOCKS_EXCLUDED(mu_);
  // The backend while the state is Ready (what the endpoint routes to).
  std::optional<TcpBackend> ReadyBackend() const ABSL_LOCKS_EXCLUDED(mu_);

  // LeptonDeployment.
  nlohmann::json ToJson() const ABSL_LOCKS_EXCLUDED(mu_);
  // {"<rid>":[{"reason","message","creationTimestamp"}]}.
  nlohmann::json ReadinessJson() const ABSL_LOCKS_EXCLUDED(mu_);
  // {"<rid>":[{"started_at","finished_at","exit_code","reason","message"}]}.
  nlohmann::json TerminationsJson() const ABSL_LOCKS_EXCLUDED(mu_);
  // [{"type","reason","message","regarding","count","last_observed_time"}].
  nlohmann::json EventsJson() const ABSL_LOCKS_EXCLUDED(mu_);
  // [{"id","metadata","status"}].
  nlohmann::json ReplicasJson() const;

 private:
  struct Event {
    std::string type, reason, message;
    int count = 1;
    absl::Time last_observed;
  };

  const std::string name_;
  const nlohmann::json metadata_;
  const nlohmann::json spec_;
  const std::string replica_id_;
  const std::string internal_endpoint_;
  mutable absl::Mutex mu_;
  std::string external_endpoint_ ABSL_GUARDED_BY(mu_);
  std::string state_ ABSL_GUARDED_BY(mu_) = kStarting;
  std::string readiness_reason_ ABSL_GUARDED_BY(mu_) = "InProgress";
  std::string readiness_message_ ABSL_GUARDED_BY(mu_);
  absl::Time readiness_since_ ABSL_GUARDED_BY(mu_);
  std::vector<Termination> terminations_ ABSL_GUARDED_BY(mu_);
  std::vector<Event> events_ ABSL_GUARDED_BY(mu_);
  std::optional<TcpBackend> backend_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_DEPLOYMENT_RECORD_H_
