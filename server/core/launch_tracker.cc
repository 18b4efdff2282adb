#include "server/core/launch_tracker.h"

namespace tao::core {

bool LaunchTracker::Begin(const std::string& job_id) {
  absl::MutexLock lock(&mu_);
  auto [it, added] = launches_.try_emplace(job_id);
  // A server that is shutting down starts nothing new.
  if (added && all_cancelled_) it->second.cancelled = true;
  return added;
}

void LaunchTracker::Update(const std::string& job_id,
                           const platforms::ProgressEvent& event) {
  absl::MutexLock lock(&mu_);
  auto it = launches_.find(job_id);
  if (it == launches_.end()) return;
  LaunchProgress& progress = it->second.progress;
  if (event.phase != progress.phase) {
    // Bytes belong to one pull; a new phase starts without them.
    progress.bytes_done = 0;
    progress.bytes_total = 0;
  }
  progress.phase = event.phase;
  if (!event.message.empty()) progress.message = event.message;
  if (event.bytes_total > 0) {
    progress.bytes_done = event.bytes_done;
    progress.bytes_total = event.bytes_total;
  }
  ++progress.version;
}

void LaunchTracker::Finish(const std::string& job_id) {
  absl::MutexLock lock(&mu_);
  launches_.erase(job_id);
}

std::optional<LaunchProgress> LaunchTracker::Find(
    const std::string& job_id) const {
  absl::MutexLock lock(&mu_);
  auto it = launches_.find(job_id);
  if (it == launches_.end()) return std::nullopt;
  return it->second.progress;
}

std::optional<LaunchProgress> LaunchTracker::AwaitChange(
    const std::string& job_id, uint64_t seen_version,
    absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto changed = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    auto it = launches_.find(job_id);
    return it == launches_.end() || it->second.progress.version > seen_version;
  };
  mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
  auto it = launches_.find(job_id);
  if (it == launches_.end()) return std::nullopt;
  return it->second.progress;
}

bool LaunchTracker::Cancel(const std::string& job_id) {
  absl::MutexLock lock(&mu_);
  auto it = launches_.find(job_id);
  if (it == launches_.end()) return false;
  it->second.cancelled = true;
  return true;
}

void LaunchTracker::CancelAll() {
  absl::MutexLock lock(&mu_);
  all_cancelled_ = true;
  for (auto& [id, launch] : launches_) launch.cancelled = true;
}

bool LaunchTracker::Cancelled(const std::string& job_id) const {
  absl::MutexLock lock(&mu_);
  auto it = launches_.find(job_id);
  return all_cancelled_ || (it != launches_.end() && it->second.cancelled);
}

bool LaunchTracker::AwaitFinished(const std::string& job_id,
                                  absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto finished = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return launches_.count(job_id) == 0;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&finished), timeout);
}

}  // namespace tao::core
