// A wrapper that stops a launch dead at one step, so that a test can
// SIGKILL the server exactly there (tao-inferd-test --test_pause_launch_at).
// It logs "test: launch of <job id> paused <step>" and then never returns.
#ifndef TAO_TESTS_SUPPORT_LAUNCH_PAUSE_H_
#define TAO_TESTS_SUPPORT_LAUNCH_PAUSE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platforms/forwarding_platform.h"
#include "platforms/platform_registry.h"

namespace tao::testing {

enum class PauseStep {
  // Launch was called (the core has written the PENDING entry); the
  // driver has not been asked yet.
  kBeforeSubmit,
  // The driver reported its first placement (a container created, a SLURM
  // job submitted) and the core recorded it; the driver waits.
  kAfterSubmit,
};

// "before-submit" or "after-submit"; INVALID_ARGUMENT otherwise.
absl::StatusOr<PauseStep> ParsePauseStep(const std::string& text);

class LaunchPausingPlatform : public platforms::ForwardingPlatform {
 public:
  LaunchPausingPlatform(std::unique_ptr<platforms::Platform> target,
                        PauseStep step)
      : ForwardingPlatform(target.get()),
        owned_(std::move(target)),
        step_(step) {}

  absl::StatusOr<platforms::Placement> Launch(
      const platforms::LaunchSpec& spec,
      const platforms::ProgressCallback& progress) override;

 private:
  const std::unique_ptr<platforms::Platform> owned_;
  const PauseStep step_;
};

// Replaces every driver in `platforms` by a LaunchPausingPlatform of it.
absl::Status PauseEveryLaunch(platforms::PlatformRegistry& platforms,
                              PauseStep step);

}  // namespace tao::testing

#endif  // TAO_TESTS_SUPPORT_LAUNCH_PAUSE_H_
