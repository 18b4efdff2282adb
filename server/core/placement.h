// Moves a driver's Placement into a registry entry and back, so that a
// restarted server can reach what an earlier one started.
#ifndef TAO_SERVER_CORE_PLACEMENT_H_
#define TAO_SERVER_CORE_PLACEMENT_H_

#include "platforms/platform.h"
#include "server/core/registry/registry.h"

namespace tao::core {

// Copies the placement's fields into `entry` (other fields untouched).
void StorePlacement(const platforms::Placement& placement,
                    registry::ServiceEntry& entry);

platforms::Placement PlacementOf(const registry::ServiceEntry& entry);

// True when every field of `a` and `b` is equal.
bool SamePlacement(const platforms::Placement& a,
                   const platforms::Placement& b);

// Fills the fields and attributes `into` lacks from `from` (what a
// platform's ListOwned tells about a workload whose launch a restart cut
// short); what `into` holds wins.
void FillMissing(const platforms::Placement& from, platforms::Placement& into);

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_PLACEMENT_H_
