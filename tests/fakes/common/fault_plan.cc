#include "tests/fakes/common/fault_plan.h"

#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tao::fakes {

void FaultPlan::Add(Fault fault) {
  absl::MutexLock lock(&mu_);
  faults_.push_back(std::move(fault));
}

void FaultPlan::Clear() {
  absl::MutexLock lock(&mu_);
  faults_.clear();
}

std::optional<Fault> FaultPlan::Take(const std::string& method,
                                     const std::string& path) {
  absl::MutexLock lock(&mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->method.empty() && it->method != method) continue;
    if (!std::regex_match(path, it->path)) continue;
    Fault fault = *it;
    if (--it->count <= 0) faults_.erase(it);
    return fault;
  }
  return std::nullopt;
}

std::optional<Fault> FaultPlan::Inject(const std::string& method,
                                       const std::string& path) {
  std::optional<Fault> fault = Take(method, path);
  if (!fault.has_value()) return std::nullopt;
  if (fault->delay_ms > 0) absl::SleepFor(absl::Milliseconds(fault->delay_ms));
  if (fault->status == 0) return std::nullopt;
  return fault;
}

}  // namespace tao::fakes
