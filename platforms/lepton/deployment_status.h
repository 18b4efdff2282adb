// What Lepton says about a deployment, as a RuntimeState
// (lepton-api.md §4). The state alone cannot tell a failure: a crashing
// container is restarted and its deployment stays Starting (or Not Ready
// once it had been Ready), an image that cannot be pulled stays Starting.
// So the readiness issues (ConfigError, NoCapacity, SystemError) and the
// termination records (exit codes) decide too; a service runs once, so
// any termination of its container is its end.
#ifndef TAO_PLATFORMS_LEPTON_DEPLOYMENT_STATUS_H_
#define TAO_PLATFORMS_LEPTON_DEPLOYMENT_STATUS_H_

#include "nlohmann/json.hpp"
#include "platforms/platform.h"

namespace tao::platforms::lepton {

// `deployment` is the LeptonDeployment of GET /deployments/{name} (null:
// there is none); `readiness` and `termination` the answers of its
// /readiness ({"<replica>":[{reason,message,...}]}) and /termination
// ({"<replica>":[{exit_code,reason,message,...}]}) routes, null or {} when
// not fetched. In this order:
//   no deployment, or state Stopped|Stopping|Deleting -> kMissing;
//   a termination record with an exit_code           -> kExited with it;
//   state Error                                      -> kExited;
//   a readiness issue ConfigError|NoCapacity|SystemError -> kExited with
//                                                       its message;
//   state Ready|Running ([C] said Running)           -> kRunning;
//   Starting|Updating|Scaling|Restarting|Migrating   -> kPending;
//   anything else ("Not Ready", "")                  -> kUnknown.
// `detail` gives Lepton's words (state, reason, message).
RuntimeState DeploymentState(const nlohmann::json& deployment,
                             const nlohmann::json& readiness,
                             const nlohmann::json& termination);

}  // namespace tao::platforms::lepton

#endif  // TAO_PLATFORMS_LEPTON_DEPLOYMENT_STATUS_H_
