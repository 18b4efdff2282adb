#include "platforms/launch_wait.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace tao::platforms {

bool LaunchCancelled(const LaunchSpec& spec) {
  return spec.cancelled && spec.cancelled();
}

bool PauseLaunch(const LaunchSpec& spec, absl::Duration& interval,
                 absl::Duration max_interval) {
  const absl::Time until = std::min(spec.deadline, absl::Now() + interval);
  while (absl::Now() < until) {
    if (LaunchCancelled(spec)) return false;
    absl::SleepFor(std::min(until - absl::Now(), absl::Milliseconds(100)));
  }
  interval = std::min(interval * 2, max_interval);
  return absl::Now() < spec.deadline && !LaunchCancelled(spec);
}

}  // namespace tao::platforms
