// A fake DGX Cloud Lepton workspace API on 127.0.0.1 (plain HTTP) whose
// deployments run on the real local Docker engine, each behind a
// token-checking endpoint of its own; for in-process use by driver tests
// and behind the fake-lepton binary. The API it follows is
// /work/shared/reference/lepton-api.md; what it implements and what not:
// tests/fakes/lepton/README.md.
#ifndef TAO_TESTS_FAKES_LEPTON_FAKE_LEPTON_SERVER_H_
#define TAO_TESTS_FAKES_LEPTON_FAKE_LEPTON_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/docker_containers.h"
#include "tests/fakes/common/fault_plan.h"
#include "tests/fakes/common/http_server_thread.h"
#include "tests/fakes/common/request_log.h"
#include "tests/fakes/lepton/deployment_runner.h"
#include "tests/fakes/lepton/deployment_validation.h"
#include "tests/fakes/lepton/workspace_state.h"

namespace tao::fakes::lepton {

class FakeLeptonServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    std::string workspace = "fakews";
    // Every API request needs "Authorization: Bearer <token>"; "" lets
    // every request in.
    std::string token = "fake-lepton-token";
    int name_limit = 32;      // lepton-api.md §3: [C] 32, [T]/[N] 36
    std::string docker_host;  // "": DefaultDockerHost()
    // Label value on every container; "" : "fake-lepton-<workspace>".
    // Containers with this owner are removed at start and at stop, so
    // fakes that run at the same time need different owners.
    std::string owner;
    std::vector<std::string> shapes;  // empty: KnownShapes()
    // GET /dedicated-node-groups; null: one group "fake-node-group".
    nlohmann::json node_groups;
    // Replica life (deployment_runner.h).
    absl::Duration probe_interval = absl::Milliseconds(500);
    absl::Duration restart_backoff = absl::Seconds(1);
    absl::Duration retry_interval = absl::Seconds(1);
    absl::Duration delete_delay = absl::Milliseconds(500);
    bool crash_state_error = false;
  };

  static absl::StatusOr<std::unique_ptr<FakeLeptonServer>> Start(
      Options options);
  // Stops serving, then removes every container of its owner.
  ~FakeLeptonServer();

  int port() const { return http_.port(); }
  // The workspace base, what LEPTON_WORKSPACE_URL takes:
  // "http://127.0.0.1:PORT/api/v2/workspaces/<workspace>".
  std::string url() const;
  // "http://127.0.0.1:PORT" (the control routes live at /_fake/ below it).
  std::string root_url() const;
  const Options& options() const { return options_; }
  WorkspaceState& workspace() { return workspace_; }
  RequestLog& requests() { return requests_; }
  FaultPlan& faults() { return faults_; }
  // The engine container that runs deployment `name` ("" if none).
  std::string ContainerOf(const std::string& name);

 private:
  FakeLeptonServer() = default;
  void Handle(const httplib::Request& request, httplib::Response& response);
  void HandleControl(const httplib::Request& request,
                     httplib::Response& response);
  absl::Status Launch(std::shared_ptr<DeploymentRecord> record)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Remove(const std::string& name) ABSL_LOCKS_EXCLUDED(mu_);
  void RemoveOwnedContainers();

  Options options_;
  ValidationRules rules_;
  WorkspaceState workspace_;
  RequestLog requests_;
  FaultPlan faults_;
  std::unique_ptr<DockerContainers> docker_;
  absl::Mutex mu_;
  // By deployment name; a runner replaced by a newer deployment of the
  // same name (after its delete finished) waits in `finished_`.
  std::map<std::string, std::unique_ptr<DeploymentRunner>> runners_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<DeploymentRunner>> finished_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  HttpServerThread http_;
};

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_FAKE_LEPTON_SERVER_H_
