// An in-memory Platform for ServiceManager tests: records what it was asked
// to launch and reports whatever runtime state the test scripts.
#ifndef TAO_TESTS_SERVER_CORE_SCRIPTED_PLATFORM_H_
#define TAO_TESTS_SERVER_CORE_SCRIPTED_PLATFORM_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platforms/platform.h"

namespace tao::core {

class ScriptedPlatform : public platforms::Platform {
 public:
  absl::string_view name() const override { return "scripted"; }
  absl::string_view execution_backend() const override { return "slurm"; }
  bool NeedsHostPort() const override { return true; }

  absl::StatusOr<platforms::Placement> Launch(
      const platforms::LaunchSpec& spec,
      const platforms::ProgressCallback& progress) override {
    if (progress) {
      progress({platforms::ProgressEvent::Phase::kStarting, "scheduling"});
    }
    absl::MutexLock lock(&mu_);
    launched_.push_back(spec);
    launched_commands_.push_back(spec.inner_command(spec.host_port));
    platforms::Placement placement;
    placement.job_id = spec.job_id;
    placement.host_port = spec.host_port;
    // Nothing listens on port 1: readiness probes see "unreachable" and
    // the manager asks Inspect, which the test scripts.
    placement.host_url = "http://127.0.0.1:1";
    placement.platform_job_id = absl::StrCat("batch-", launched_.size());
    placement.attributes["launch_number"] = absl::StrCat(launched_.size());
    return placement;
  }

  absl::StatusOr<platforms::RuntimeState> Inspect(
      const platforms::Placement&) override {
    absl::MutexLock lock(&mu_);
    ++inspections_;
    if (!inspect_status_.ok()) return inspect_status_;
    return runtime_;
  }

  absl::Status Terminate(const platforms::Placement& placement) override {
    absl::MutexLock lock(&mu_);
    terminated_.push_back(placement.job_id);
    return terminate_status_;
  }

  absl::StatusOr<std::string> Logs(const platforms::Placement&,
                                   int tail_lines) override {
    absl::MutexLock lock(&mu_);
    last_tail_lines_ = tail_lines;
    return logs_;
  }

  // Scripting.
  void SetRuntime(platforms::RuntimeState runtime) {
    absl::MutexLock lock(&mu_);
    runtime_ = runtime;
  }
  void SetInspectStatus(absl::Status status) {
    absl::MutexLock lock(&mu_);
    inspect_status_ = status;
  }
  void SetTerminateStatus(absl::Status status) {
    absl::MutexLock lock(&mu_);
    terminate_status_ = status;
  }
  // Like Inspect, but counted apart: reattach_status_ when set.
  absl::StatusOr<platforms::RuntimeState> Reattach(
      platforms::Placement&) override {
    absl::MutexLock lock(&mu_);
    ++reattachments_;
    if (!reattach_status_.ok()) return reattach_status_;
    return runtime_;
  }

  absl::StatusOr<std::vector<platforms::OwnedWorkload>> ListOwned() override {
    absl::MutexLock lock(&mu_);
    return owned_;
  }

  void SetReattachStatus(absl::Status status) {
    absl::MutexLock lock(&mu_);
    reattach_status_ = std::move(status);
  }
  void SetOwned(absl::StatusOr<std::vector<platforms::OwnedWorkload>> owned) {
    absl::MutexLock lock(&mu_);
    owned_ = std::move(owned);
  }
  void SetLogs(std::string logs) {
    absl::MutexLock lock(&mu_);
    logs_ = std::move(logs);
  }

  // Observations.
  std::vector<platforms::LaunchSpec> launched() {
    absl::MutexLock lock(&mu_);
    return launched_;
  }
  std::vector<std::string> launched_commands() {
    absl::MutexLock lock(&mu_);
    return launched_commands_;
  }
  std::vector<std::string> terminated() {
    absl::MutexLock lock(&mu_);
    return terminated_;
  }
  int inspections() {
    absl::MutexLock lock(&mu_);
    return inspections_;
  }
  int reattachments() {
    absl::MutexLock lock(&mu_);
    return reattachments_;
  }

 private:
  absl::Mutex mu_;
  std::vector<platforms::LaunchSpec> launched_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> launched_commands_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> terminated_ ABSL_GUARDED_BY(mu_);
  platforms::RuntimeState runtime_ ABSL_GUARDED_BY(mu_) = {
      platforms::RuntimeState::Phase::kRunning, 0, false, ""};
  absl::Status inspect_status_ ABSL_GUARDED_BY(mu_);
  absl::Status terminate_status_ ABSL_GUARDED_BY(mu_);
  absl::Status reattach_status_ ABSL_GUARDED_BY(mu_);
  absl::StatusOr<std::vector<platforms::OwnedWorkload>> owned_
      ABSL_GUARDED_BY(mu_) = std::vector<platforms::OwnedWorkload>();
  std::string logs_ ABSL_GUARDED_BY(mu_);
  int inspections_ ABSL_GUARDED_BY(mu_) = 0;
  int reattachments_ ABSL_GUARDED_BY(mu_) = 0;
  int last_tail_lines_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tao::core

#endif  // TAO_TESTS_SERVER_CORE_SCRIPTED_PLATFORM_H_
