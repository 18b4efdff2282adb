// The body of POST /deployments that runs one service (lepton-api.md §5;
// field names from [S] api/v2/types/deployment.py, sent as the SDK sends
// them, without null fields): one replica of the image with the inner
// command under /bin/bash -c on port 8080, the resource shape and node
// groups, shared memory, plain envs, secret envs by reference to Lepton
// user secrets, image pull secrets, one API token, and no scale-down to
// zero.
#ifndef TAO_PLATFORMS_LEPTON_DEPLOYMENT_SPEC_H_
#define TAO_PLATFORMS_LEPTON_DEPLOYMENT_SPEC_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace tao::platforms::lepton {

// The container's one port, the readiness and inference routes' port.
inline constexpr int kServicePort = 8080;

// metadata.labels keys. [S] types/common.py has the dict; whether DGXC
// keeps or checks labels is not verified (the fake keeps them).
inline constexpr char kLabelManagedBy[] = "app.kubernetes.io/managed-by";
inline constexpr char kManagedByValue[] = "tao-inference";
inline constexpr char kLabelJobId[] = "inference.tao.nvidia.com/job-id";
inline constexpr char kLabelServerInstance[] =
    "inference.tao.nvidia.com/server-instance";
inline constexpr char kLabelNetworkArch[] =
    "inference.tao.nvidia.com/network-arch";

struct DeploymentInputs {
  std::string name;  // DeploymentName(job_id): metadata.id and .name
  std::string job_id;
  std::string server_instance;  // empty: no label
  std::string network_arch;     // empty: no label
  std::string image;
  std::string inner_command;  // run as /bin/bash -c
  // Lower-cased as the SDK does ([S] config.py VALID_SHAPES examples:
  // gpu.8xh100-sxm, cpu.small).
  std::string resource_shape;
  // Dedicated node group ids (not names: the CLI maps names to ids,
  // [S] cli/util.py _get_valid_nodegroup_ids); empty: no affinity.
  std::vector<std::string> node_group_ids;
  // /dev/shm in MiB (CLI --shared-memory-size); 0: Lepton's default.
  int64_t shared_memory_mib = 0;
  std::map<std::string, std::string> env;  // plain values
  // Env name -> the Lepton user secret holding its value. The values
  // themselves never enter the body.
  std::map<std::string, std::string> secret_env_refs;
  std::vector<std::string> image_pull_secrets;  // their names
  // The endpoint's one API token (clients send "Bearer <it>"). A secret:
  // the body must never be logged.
  std::string api_token;
};

// The create body. INVALID_ARGUMENT when the name is no deployment name,
// the image, command, shape or API token is empty, shared memory is
// negative, an env name is empty, used twice (plain and secret) or one of
// the names Lepton reserves ([S] config.py: LEPTON_WORKSPACE_ID,
// LEPTON_DEPLOYMENT_NAME, LEPTON_RESOURCE_ACCELERATOR_TYPE,
// LEPTON_WORKSPACE_ORIGIN_URL), or a secret reference is empty. Messages
// never carry the API token or an env value.
absl::StatusOr<nlohmann::json> DeploymentBody(const DeploymentInputs& in);

}  // namespace tao::platforms::lepton

#endif  // TAO_PLATFORMS_LEPTON_DEPLOYMENT_SPEC_H_
