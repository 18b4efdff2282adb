// The launches this server runs right now (Start's calls into
// Platform::Launch, in the caller's thread or in the background), so that
// WaitReady and List see a launch's progress while the registry entry is
// still PENDING, and Stop can cancel it.
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_SERVER_CORE_LAUNCH_TRACKER_H_
#define TAO_SERVER_CORE_LAUNCH_TRACKER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platforms/platform.h"

namespace tao::core {

// What a launch in flight has reported so far.
struct LaunchProgress {
  platforms::ProgressEvent::Phase phase =
      platforms::ProgressEvent::Phase::kStarting;
  // The last non-empty message (already redacted).
  std::string message;
  int64_t bytes_done = 0;
  int64_t bytes_total = 0;
  // Grows with every update, so that a reader can wait for the next one.
  uint64_t version = 0;
};

class LaunchTracker {
 public:
  // Registers the launch of `job_id`; false when one is registered already.
  bool Begin(const std::string& job_id);
  // Records `event` (its message already redacted); no-op for a launch
  // that is not registered.
  void Update(const std::string& job_id, const platforms::ProgressEvent& event);
  // Ends the launch of `job_id` and wakes those waiting on it.
  void Finish(const std::string& job_id);

  // The progress of `job_id`'s launch; nullopt when none is in flight.
  std::optional<LaunchProgress> Find(const std::string& job_id) const;
  // Waits until the launch reports something newer than `seen_version`,
  // ends, or `timeout` passes; returns what Find returns then.
  std::optional<LaunchProgress> AwaitChange(const std::string& job_id,
                                            uint64_t seen_version,
                                            absl::Duration timeout) const;

  // Asks the launch of `job_id` to give up; false when none is in flight.
  bool Cancel(const std::string& job_id);
  // Asks every launch to give up (the server shuts down).
  void CancelAll();
  // True once Cancel or CancelAll was called for `job_id`'s launch.
  bool Cancelled(const std::string& job_id) const;
  // Waits until no launch of `job_id` is in flight; false on `timeout`.
  bool AwaitFinished(const std::string& job_id, absl::Duration timeout) const;

 private:
  struct Launch {
    LaunchProgress progress;
    bool cancelled = false;
  };

  mutable absl::Mutex mu_;
  std::map<std::string, Launch> launches_ ABSL_GUARDED_BY(mu_);
  bool all_cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_LAUNCH_TRACKER_H_
