#include "server/core/entry_update.h"

namespace tao::core {

absl::Status UpdateEntry(
    registry::Registry& registry, const std::string& job_id,
    const std::function<void(registry::ServiceEntry&)>& change) {
  absl::StatusOr<registry::RegistryState> snapshot = registry.Read();
  if (!snapshot.ok()) return snapshot.status();
  const registry::ServiceEntry* seen = snapshot->Find(job_id);
  if (seen == nullptr) return absl::OkStatus();
  registry::ServiceEntry changed = *seen;
  change(changed);
  if (changed == *seen) return absl::OkStatus();
  return registry.Mutate([&](registry::RegistryState& state) {
    const registry::ServiceEntry* current = state.Find(job_id);
    if (current == nullptr) return absl::OkStatus();  // stopped meanwhile
    registry::ServiceEntry updated = *current;
    change(updated);
    return state.Update(std::move(updated));
  });
}

}  // namespace tao::core
