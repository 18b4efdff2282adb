// The Lepton routes below /api/v2/workspaces/<ws> (lepton-api.md §1, §4,
// §7): /workspace, /deployments[/{name}[/replicas|/readiness|/termination|
// /events|/replicas/{rid}/log]], /logs, /usersecrets, /imagepullsecrets,
// /dedicated-node-groups. Token, workspace and fault checks happen before
// (fake_lepton_server.cc).
#ifndef TAO_TESTS_FAKES_LEPTON_API_ROUTES_H_
#define TAO_TESTS_FAKES_LEPTON_API_ROUTES_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/docker_containers.h"
#include "tests/fakes/lepton/deployment_record.h"
#include "tests/fakes/lepton/deployment_validation.h"
#include "tests/fakes/lepton/workspace_state.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace tao::fakes::lepton {

struct ApiContext {
  std::string workspace_id;
  WorkspaceState* workspace = nullptr;
  DockerContainers* docker = nullptr;
  const ValidationRules* rules = nullptr;
  const nlohmann::json* node_groups = nullptr;
  // Starts the runner of a record already in the workspace.
  std::function<absl::Status(std::shared_ptr<DeploymentRecord>)> launch;
  // Begins the deletion of a deployment.
  std::function<void(const std::string& name)> remove;
};

// `path` is the part below the workspace base, e.g. "/deployments/x".
void HandleApiRequest(const ApiContext& context, const std::string& path,
                      const httplib::Request& request,
                      httplib::Response& response);

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_API_ROUTES_H_
