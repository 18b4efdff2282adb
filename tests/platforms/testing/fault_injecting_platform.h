// A ForwardingPlatform whose calls can be made to fail on demand, for tests
// of how the core reacts to platform errors (LevelDB's FaultInjectionTestEnv).
#ifndef TAO_TESTS_PLATFORMS_TESTING_FAULT_INJECTING_PLATFORM_H_
#define TAO_TESTS_PLATFORMS_TESTING_FAULT_INJECTING_PLATFORM_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "platforms/forwarding_platform.h"

namespace tao::platforms::testing {

class FaultInjectingPlatform : public ForwardingPlatform {
 public:
  enum class Method {
    kLaunch,
    kInspect,
    kEnsureReachable,
    kTerminate,
    kLogs,
    kReattach,
    kListOwned,
  };

  // Owns `target`.
  explicit FaultInjectingPlatform(std::unique_ptr<Platform> target)
      : ForwardingPlatform(target.get()), owned_(std::move(target)) {}

  // The next `times` calls of `method` fail with `status` without reaching
  // the target.
  void FailNext(Method method, absl::Status status, int times = 1) {
    absl::MutexLock lock(&mu_);
    faults_[method] = Fault{std::move(status), times};
  }

  // Calls of `method` that reached the target so far.
  int calls(Method method) const {
    absl::MutexLock lock(&mu_);
    auto it = calls_.find(method);
    return it == calls_.end() ? 0 : it->second;
  }

  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override {
    if (absl::Status s = Take(Method::kLaunch); !s.ok()) return s;
    return ForwardingPlatform::Launch(spec, progress);
  }
  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override {
    if (absl::Status s = Take(Method::kInspect); !s.ok()) return s;
    return ForwardingPlatform::Inspect(placement);
  }
  absl::StatusOr<RuntimeState> EnsureReachable(Placement& placement) override {
    if (absl::Status s = Take(Method::kEnsureReachable); !s.ok()) return s;
    return ForwardingPlatform::EnsureReachable(placement);
  }
  absl::Status Terminate(const Placement& placement) override {
    if (absl::Status s = Take(Method::kTerminate); !s.ok()) return s;
    return ForwardingPlatform::Terminate(placement);
  }
  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override {
    if (absl::Status s = Take(Method::kLogs); !s.ok()) return s;
    return ForwardingPlatform::Logs(placement, tail_lines);
  }
  absl::StatusOr<RuntimeState> Reattach(Placement& placement) override {
    if (absl::Status s = Take(Method::kReattach); !s.ok()) return s;
    return ForwardingPlatform::Reattach(placement);
  }
  absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance) override {
    if (absl::Status s = Take(Method::kListOwned); !s.ok()) return s;
    return ForwardingPlatform::ListOwned(server_instance);
  }

 private:
  struct Fault {
    absl::Status status;
    int remaining = 0;
  };

  // The injected failure for this call, or OK after counting the call.
  absl::Status Take(Method method) {
    absl::MutexLock lock(&mu_);
    auto it = faults_.find(method);
    if (it != faults_.end() && it->second.remaining > 0) {
      --it->second.remaining;
      // An OK "fault" lets the call through, so it counts below.
      if (!it->second.status.ok()) return it->second.status;
    }
    ++calls_[method];
    return absl::OkStatus();
  }

  std::unique_ptr<Platform> owned_;
  mutable absl::Mutex mu_;
  std::map<Method, Fault> faults_ ABSL_GUARDED_BY(mu_);
  std::map<Method, int> calls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::platforms::testing

#endif  // TAO_TESTS_PLATFORMS_TESTING_FAULT_INJECTING_PLATFORM_H_
