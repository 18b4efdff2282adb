// The one in-memory Platform for tests of the code around drivers (the
// platform registry, the fault-injecting wrapper, ServiceManager): it
// records every call in order and answers with what the test scripted.
// Placements point at http://127.0.0.1:1, where nothing listens, so
// readiness probes see "unreachable" and the core asks the platform.
#ifndef TAO_TESTS_PLATFORMS_TESTING_SCRIPTED_PLATFORM_H_
#define TAO_TESTS_PLATFORMS_TESTING_SCRIPTED_PLATFORM_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platforms/platform.h"

namespace tao::platforms::testing {

class ScriptedPlatform : public Platform {
 public:
  struct Options {
    std::string name = "scripted";
    std::string execution_backend = "slurm";
    // What HostPortScope (and HostPortScopeOf) answers.
    std::string host_port_scope = std::string(kThisHostPortScope);
    // The port Launch builds the inner command for; 0: the host port, or
    // kDefaultContainerPort when there is none (as real drivers do).
    int command_port = 0;
  };

  ScriptedPlatform() : ScriptedPlatform(Options()) {}
  explicit ScriptedPlatform(Options options) : options_(std::move(options)) {}
  explicit ScriptedPlatform(const std::string& name)
      : ScriptedPlatform(Options{name}) {}

  absl::string_view name() const override { return options_.name; }
  absl::string_view execution_backend() const override {
    return options_.execution_backend;
  }
  std::string HostPortScope(const LaunchSpec&) const override {
    return options_.host_port_scope;
  }
  std::string HostPortScopeOf(const Placement&) const override {
    return options_.host_port_scope;
  }
  absl::Status ValidateOptions(
      const std::map<std::string, std::string>& options) const override {
    absl::MutexLock lock(&mu_);
    validated_.push_back(options);
    return options_status_;
  }

  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override {
    Record(absl::StrCat("Launch ", spec.job_id));
    ReportProgress(progress, ProgressEvent::Phase::kStarting, "scheduling");
    std::string command;
    if (spec.inner_command) {
      const int port = options_.command_port != 0 ? options_.command_port
                       : spec.host_port > 0       ? spec.host_port
                                                  : kDefaultContainerPort;
      absl::StatusOr<std::string> built = spec.inner_command(port);
      if (!built.ok()) return built.status();
      command = *std::move(built);
    }
    absl::MutexLock lock(&mu_);
    launched_.push_back(spec);
    launched_commands_.push_back(command);
    Placement placement;
    placement.job_id = spec.job_id;
    placement.host_port = spec.host_port;
    placement.host_url = "http://127.0.0.1:1";
    placement.platform_job_id = absl::StrCat("batch-", launched_.size());
    placement.attributes["launch_number"] = absl::StrCat(launched_.size());
    return placement;
  }

  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override {
    Record(absl::StrCat("Inspect ", placement.job_id));
    absl::MutexLock lock(&mu_);
    ++inspections_;
    if (!inspect_status_.ok()) return inspect_status_;
    return runtime_;
  }

  // Like Inspect (its scripted answer), counted apart; applies the scripted
  // repair attributes.
  absl::StatusOr<RuntimeState> EnsureReachable(Placement& placement) override {
    Record(absl::StrCat("EnsureReachable ", placement.job_id));
    absl::MutexLock lock(&mu_);
    ++repairs_;
    return Repair(inspect_status_, placement);
  }

  // Like EnsureReachable, counted apart, failing with reattach_status_ when
  // that is set.
  absl::StatusOr<RuntimeState> Reattach(Placement& placement) override {
    Record(absl::StrCat("Reattach ", placement.job_id));
    absl::MutexLock lock(&mu_);
    ++reattachments_;
    return Repair(reattach_status_, placement);
  }

  absl::Status Terminate(const Placement& placement) override {
    Record(absl::StrCat("Terminate ", placement.job_id));
    absl::MutexLock lock(&mu_);
    terminated_.push_back(placement.job_id);
    return terminate_status_;
  }

  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override {
    Record(absl::StrCat("Logs ", placement.job_id, " ", tail_lines));
    absl::MutexLock lock(&mu_);
    return logs_;
  }

  absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance) override {
    Record(absl::StrCat("ListOwned ", server_instance));
    absl::MutexLock lock(&mu_);
    return owned_;
  }

  // Scripting.
  void SetRuntime(RuntimeState runtime) {
    absl::MutexLock lock(&mu_);
    runtime_ = std::move(runtime);
  }
  // Inspect's and EnsureReachable's error (OK: answer with the runtime).
  void SetInspectStatus(absl::Status status) {
    absl::MutexLock lock(&mu_);
    inspect_status_ = std::move(status);
  }
  void SetReattachStatus(absl::Status status) {
    absl::MutexLock lock(&mu_);
    reattach_status_ = std::move(status);
  }
  void SetTerminateStatus(absl::Status status) {
    absl::MutexLock lock(&mu_);
    terminate_status_ = std::move(status);
  }
  void SetOptionsStatus(absl::Status status) {
    absl::MutexLock lock(&mu_);
    options_status_ = std::move(status);
  }
  // Attributes EnsureReachable and Reattach put into the placement (a
  // driver that re-opened a tunnel records its new pid).
  void SetRepairAttributes(std::map<std::string, std::string> attributes) {
    absl::MutexLock lock(&mu_);
    repair_attributes_ = std::move(attributes);
  }
  // ListOwned's answer (default UNIMPLEMENTED, as Platform's).
  void SetOwned(absl::StatusOr<std::vector<OwnedWorkload>> owned) {
    absl::MutexLock lock(&mu_);
    owned_ = std::move(owned);
  }
  void SetLogs(std::string logs) {
    absl::MutexLock lock(&mu_);
    logs_ = std::move(logs);
  }

  // Observations.
  // Every call in order, e.g. "Launch <job_id>", "Logs <job_id> <lines>".
  std::vector<std::string> calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::vector<LaunchSpec> launched() const {
    absl::MutexLock lock(&mu_);
    return launched_;
  }
  // The inner command of each launch, built for its host port.
  std::vector<std::string> launched_commands() const {
    absl::MutexLock lock(&mu_);
    return launched_commands_;
  }
  std::vector<std::string> terminated() const {
    absl::MutexLock lock(&mu_);
    return terminated_;
  }
  std::vector<std::map<std::string, std::string>> validated() const {
    absl::MutexLock lock(&mu_);
    return validated_;
  }
  int inspections() const {
    absl::MutexLock lock(&mu_);
    return inspections_;
  }
  int repairs() const {
    absl::MutexLock lock(&mu_);
    return repairs_;
  }
  int reattachments() const {
    absl::MutexLock lock(&mu_);
    return reattachments_;
  }

 private:
  void Record(std::string call) {
    absl::MutexLock lock(&mu_);
    calls_.push_back(std::move(call));
  }

  // `error` when set, else the runtime, with the repair attributes applied.
  absl::StatusOr<RuntimeState> Repair(const absl::Status& error,
                                      Placement& placement)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!error.ok()) return error;
    for (const auto& [key, value] : repair_attributes_) {
      placement.attributes[key] = value;
    }
    return runtime_;
  }

  const Options options_;
  mutable absl::Mutex mu_;
  std::vector<std::string> calls_ ABSL_GUARDED_BY(mu_);
  std::vector<LaunchSpec> launched_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> launched_commands_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> terminated_ ABSL_GUARDED_BY(mu_);
  mutable std::vector<std::map<std::string, std::string>> validated_
      ABSL_GUARDED_BY(mu_);
  RuntimeState runtime_ ABSL_GUARDED_BY(mu_) = {RuntimeState::Phase::kRunning,
                                                0, false, "running"};
  absl::Status inspect_status_ ABSL_GUARDED_BY(mu_);
  absl::Status reattach_status_ ABSL_GUARDED_BY(mu_);
  absl::Status terminate_status_ ABSL_GUARDED_BY(mu_);
  absl::Status options_status_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> repair_attributes_ ABSL_GUARDED_BY(mu_);
  absl::StatusOr<std::vector<OwnedWorkload>> owned_ ABSL_GUARDED_BY(mu_) =
      absl::UnimplementedError("the scripted platform has no owned list");
  std::string logs_ ABSL_GUARDED_BY(mu_);
  int inspections_ ABSL_GUARDED_BY(mu_) = 0;
  int repairs_ ABSL_GUARDED_BY(mu_) = 0;
  int reattachments_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tao::platforms::testing

#endif  // TAO_TESTS_PLATFORMS_TESTING_SCRIPTED_PLATFORM_H_
