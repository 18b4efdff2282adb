// Changes one registry entry, writing the registry only when the change
// changed something.
#ifndef TAO_SERVER_CORE_ENTRY_UPDATE_H_
#define TAO_SERVER_CORE_ENTRY_UPDATE_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "server/core/registry/registry.h"

namespace tao::core {

// Applies `change` to the entry of `job_id`. A snapshot is read first: when
// `change` leaves the entry as it is, nothing is written. Otherwise one
// Mutate applies `change` to the entry as it is then and writes it back.
// No entry (stopped meanwhile) is OK. Errors: those of Registry::Read and
// Registry::Mutate.
absl::Status UpdateEntry(
    registry::Registry& registry, const std::string& job_id,
    const std::function<void(registry::ServiceEntry&)>& change);

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_ENTRY_UPDATE_H_
