// Counts the RPCs a server is running, so that shutdown can wait for them
// (up to a grace period) instead of for gRPC's deadline, which an idle but
// still connected client would otherwise make it wait out in full.
#ifndef TAO_SERVER_SERVICE_IN_FLIGHT_CALLS_H_
#define TAO_SERVER_SERVICE_IN_FLIGHT_CALLS_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace tao::service {

class InFlightCalls {
 public:
  // Marks one call as running for its lifetime.
  class Scope {
   public:
    explicit Scope(InFlightCalls& calls) : calls_(calls) {
      absl::MutexLock lock(&calls_.mu_);
      ++calls_.running_;
    }
    ~Scope() {
      absl::MutexLock lock(&calls_.mu_);
      --calls_.running_;
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    InFlightCalls& calls_;
  };

  // Blocks until no call runs or `deadline` passes; true when idle.
  bool WaitUntilIdle(absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return running_ == 0;
    };
    return mu_.AwaitWithDeadline(absl::Condition(&idle), deadline);
  }

 private:
  absl::Mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tao::service

#endif  // TAO_SERVER_SERVICE_IN_FLIGHT_CALLS_H_
