// Chooses the service that receives a request (spec §2 / seed §6.0).
#ifndef TAO_SERVER_CORE_ROUTING_ROUTER_H_
#define TAO_SERVER_CORE_ROUTING_ROUTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/core/registry/registry.h"

namespace tao::routing {

struct Target {
  std::string job_id;        // explicit; wins when set
  std::string network_arch;  // by architecture when job_id is empty
};

// Rules, in order:
//  1. job_id set: that entry, or NOT_FOUND (details: every service as
//     candidates, reason ERROR_REASON_NO_SERVICE).
//  2. network_arch set: the one entry of that arch; several ->
//     FAILED_PRECONDITION (reason ERROR_REASON_AMBIGUOUS_TARGET, candidates =
//     matches, oldest first); none -> NOT_FOUND (reason
//     ERROR_REASON_NO_SERVICE, candidates = every service).
//  3. neither: the only entry; several -> FAILED_PRECONDITION
//     (ERROR_REASON_AMBIGUOUS_TARGET, candidates = all; never silently
//     `latest`); none -> NOT_FOUND telling the caller to start a service.
// Candidates carry job_id, network_arch, host_url and started_at (the whole
// Service, `latest` marked for display only). job_id "latest" is not an
// alias: it is NOT_FOUND like any unknown id.
absl::StatusOr<registry::ServiceEntry> Route(
    const registry::RegistryState& state, const Target& target);

}  // namespace tao::routing

#endif  // TAO_SERVER_CORE_ROUTING_ROUTER_H_
