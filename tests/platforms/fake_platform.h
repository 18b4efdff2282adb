// A Platform that records what it was asked and answers with canned values,
// for tests of the code around drivers.
#ifndef TAO_TESTS_PLATFORMS_FAKE_PLATFORM_H_
#define TAO_TESTS_PLATFORMS_FAKE_PLATFORM_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platforms/platform.h"

namespace tao::platforms::testing {

class FakePlatform : public Platform {
 public:
  explicit FakePlatform(std::string name = "fake") : name_(std::move(name)) {}

  absl::string_view name() const override { return name_; }
  absl::string_view execution_backend() const override {
    return "fake-backend";
  }
  bool NeedsHostPort() const override { return true; }

  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override {
    Record(absl::StrCat("Launch ", spec.job_id));
    if (progress) progress({ProgressEvent::Phase::kStarting, "starting"});
    Placement placement;
    placement.job_id = spec.job_id;
    placement.host_port = spec.host_port;
    placement.host_url = absl::StrCat("http://localhost:", spec.host_port);
    return placement;
  }
  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override {
    Record(absl::StrCat("Inspect ", placement.job_id));
    RuntimeState state;
    state.phase = RuntimeState::Phase::kRunning;
    state.detail = "running";
    return state;
  }
  absl::Status Terminate(const Placement& placement) override {
    Record(absl::StrCat("Terminate ", placement.job_id));
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override {
    Record(absl::StrCat("Logs ", placement.job_id, " ", tail_lines));
    return std::string("log line\n");
  }
  absl::StatusOr<RuntimeState> Reattach(Placement& placement) override {
    Record(absl::StrCat("Reattach ", placement.job_id));
    placement.attributes["reattached"] = "yes";
    RuntimeState state;
    state.phase = RuntimeState::Phase::kRunning;
    return state;
  }

  // Every call in order, e.g. "Launch <job_id>".
  std::vector<std::string> calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  void Record(std::string call) {
    absl::MutexLock lock(&mu_);
    calls_.push_back(std::move(call));
  }

  const std::string name_;
  mutable absl::Mutex mu_;
  std::vector<std::string> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::platforms::testing

#endif  // TAO_TESTS_PLATFORMS_FAKE_PLATFORM_H_
