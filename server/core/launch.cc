// ServiceManager's launches: one call into Platform::Launch for an entry
// the registry already holds (state PENDING), in the Start call's thread or
// in the background, recording what the driver reports as it goes.
#include <utility>

#include "absl/strings/str_cat.h"
#include "platforms/common/log.h"
#include "server/core/common/service_convert.h"
#include "server/core/entry_update.h"
#include "server/core/placement.h"
#include "server/core/service_manager.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;

// How long Stop waits for a launch it cancelled to give up.
constexpr absl::Duration kCancelWait = absl::Seconds(60);

}  // namespace

bool IsUnfinishedLaunch(const registry::ServiceEntry& entry) {
  return entry.state == StateName(v1::SERVICE_STATE_PENDING) &&
         entry.reason == kLaunchingReason;
}

ServiceManager::~ServiceManager() {
  // Launches in flight give up (their drivers remove what they made) and
  // record why; none may outlive the manager.
  launches_.CancelAll();
  std::vector<BackgroundLaunch> background;
  {
    absl::MutexLock lock(&mu_);
    background.swap(background_);
  }
  for (BackgroundLaunch& launch : background) launch.thread.join();
}

absl::StatusOr<registry::ServiceEntry> ServiceManager::RunLaunch(
    platforms::Platform& platform, platforms::LaunchSpec spec,
    registry::ServiceEntry entry, const Progress& progress,
    OnLaunchFailure on_failure) {
  const std::string job_id = spec.job_id;
  spec.cancelled = [this, job_id] { return launches_.Cancelled(job_id); };
  absl::StatusOr<platforms::Placement> placement =
      platform.Launch(spec, [&](const platforms::ProgressEvent& event) {
        platforms::ProgressEvent redacted = event;
        redacted.message = redactor_.Redact(event.message);
        if (!redacted.message.empty()) {
          platforms::LogInfo(
              absl::StrCat("start ", job_id, ": ", redacted.message));
          if (progress) progress(redacted.message);
        }
        // Recorded before the driver goes on (ProgressEvent::placement).
        if (event.placement.has_value()) {
          StoreChangedPlacement(job_id, *event.placement);
        }
        launches_.Update(job_id, redacted);
      });

  absl::Status status;
  if (placement.ok()) {
    StorePlacement(*placement, entry);
    entry.state = std::string(StateName(v1::SERVICE_STATE_STARTING));
    entry.reason.clear();
    status = UpdateEntry(*options_.registry, job_id,
                         [&](registry::ServiceEntry& stored) {
                           StorePlacement(*placement, stored);
                           stored.state = entry.state;
                           stored.reason.clear();
                         });
    if (!status.ok()) {
      // Nothing may run that the registry does not know about.
      absl::Status stopped = platform.Terminate(*placement);
      platforms::LogError(absl::StrCat(
          "start ", job_id, ": registry write failed (", status.message(),
          "); workload ", stopped.ok() ? "stopped" : "could NOT be stopped: ",
          stopped.ok() ? "" : stopped.message()));
    }
  } else {
    status = absl::Status(placement.status().code(),
                          redactor_.Redact(placement.status().message()));
    platforms::LogWarning(
        absl::StrCat("start ", job_id, ": launch failed: ", status.message()));
  }
  if (!status.ok()) {
    absl::Status recorded;
    if (on_failure == OnLaunchFailure::kRemoveEntry) {
      // The caller gets the error: no entry stays for a service that never
      // ran.
      recorded = options_.registry->Mutate([&](registry::RegistryState& st) {
        st.Remove(job_id);
        return absl::OkStatus();
      });
    } else {
      // Nobody waits for this call: the entry tells WaitReady and List why.
      recorded = UpdateEntry(
          *options_.registry, job_id, [&](registry::ServiceEntry& stored) {
            stored.state = std::string(StateName(v1::SERVICE_STATE_FAILED));
            stored.reason = std::string(status.message());
            // Nothing runs: no port is held, and no address to poll
            // (WaitReady reports the reason instead).
            stored.host_port.reset();
            stored.host_url.clear();
          });
    }
    if (!recorded.ok()) {
      platforms::LogWarning(absl::StrCat("start ", job_id,
                                         ": could not record the failed "
                                         "launch in the registry: ",
                                         recorded.message()));
    }
  }
  launches_.Finish(job_id);
  if (!status.ok()) return status;
  return entry;
}

void ServiceManager::LaunchInBackground(platforms::Platform& platform,
                                        platforms::LaunchSpec spec,
                                        registry::ServiceEntry entry,
                                        std::string scope, int reserved_port) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, &platform, spec = std::move(spec),
                      entry = std::move(entry), scope = std::move(scope),
                      reserved_port, done]() mutable {
    RunLaunch(platform, std::move(spec), std::move(entry), nullptr,
              OnLaunchFailure::kRecordFailure)
        .IgnoreError();  // recorded in the entry and logged
    if (reserved_port != 0) ports_.Release(scope, reserved_port);
    done->store(true);
  });
  absl::MutexLock lock(&mu_);
  // Reap the threads of launches that have ended.
  for (auto it = background_.begin(); it != background_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = background_.erase(it);
    } else {
      ++it;
    }
  }
  background_.push_back({std::move(thread), std::move(done)});
}

absl::Status ServiceManager::CancelLaunch(const std::string& job_id) {
  if (!launches_.Cancel(job_id)) return absl::OkStatus();
  platforms::LogInfo(
      absl::StrCat("stop ", job_id, ": cancelling its launch in flight"));
  if (!launches_.AwaitFinished(job_id, kCancelWait)) {
    return absl::UnavailableError(
        absl::StrCat("the launch of ", job_id, " did not give up within ",
                     absl::FormatDuration(kCancelWait),
                     "; try `tao-infer stop ", job_id, "` again"));
  }
  return absl::OkStatus();
}

}  // namespace tao::core
