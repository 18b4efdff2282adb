#include "tests/support/launch_pause.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platforms/common/log.h"

namespace tao::testing {
namespace {

[[noreturn]] void PauseForEver(const std::string& job_id,
                               absl::string_view step) {
  platforms::LogInfo(
      absl::StrCat("test: launch of ", job_id, " paused ", step));
  while (true) absl::SleepFor(absl::Hours(1));
}

}  // namespace

absl::StatusOr<PauseStep> ParsePauseStep(const std::string& text) {
  if (text == "before-submit") return PauseStep::kBeforeSubmit;
  if (text == "after-submit") return PauseStep::kAfterSubmit;
  return absl::InvalidArgumentError(
      absl::StrCat("--test_pause_launch_at: \"", text,
                   "\" is not before-submit or after-submit"));
}

absl::StatusOr<platforms::Placement> LaunchPausingPlatform::Launch(
    const platforms::LaunchSpec& spec,
    const platforms::ProgressCallback& progress) {
  if (step_ == PauseStep::kBeforeSubmit) {
    PauseForEver(spec.job_id, "before-submit");
  }
  return ForwardingPlatform::Launch(
      spec, [&](const platforms::ProgressEvent& event) {
        if (progress) progress(event);  // the core records the placement
        if (event.placement.has_value()) {
          PauseForEver(spec.job_id, "after-submit");
        }
      });
}

absl::Status PauseEveryLaunch(platforms::PlatformRegistry& platforms,
                              PauseStep step) {
  for (const std::string& name : platforms.names()) {
    absl::StatusOr<std::unique_ptr<platforms::Platform>> driver =
        platforms.Release(name);
    if (!driver.ok()) return driver.status();
    if (absl::Status s = platforms.Register(
            std::make_unique<LaunchPausingPlatform>(*std::move(driver), step));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace tao::testing
