// Waiting inside Platform::Launch: whether the launch is still wanted, and
// a pause between polls of the platform that ends early once it is not.
#ifndef TAO_PLATFORMS_LAUNCH_WAIT_H_
#define TAO_PLATFORMS_LAUNCH_WAIT_H_

#include "absl/time/time.h"
#include "platforms/platform.h"

namespace tao::platforms {

// True once the launch of `spec` is no longer wanted (LaunchSpec::cancelled).
bool LaunchCancelled(const LaunchSpec& spec);

// Sleeps `interval` in steps of at most 100 ms, so that a cancel is noticed
// soon, then doubles `interval` up to `max_interval`. False once the
// launch's deadline has passed or it was cancelled: the caller gives up.
bool PauseLaunch(const LaunchSpec& spec, absl::Duration& interval,
                 absl::Duration max_interval);

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_LAUNCH_WAIT_H_
