// Scripted failures of a fake's next requests, as the fakes' control
// routes (POST /_fake/faults) add them: the next `count` requests whose
// method and path match fail with `status`, after `delay_ms`. Each fake
// reads its own JSON form of a fault (its field names, defaults and the
// statuses it can answer differ) and turns a due fault into its API's
// error body.
#ifndef TAO_TESTS_FAKES_COMMON_FAULT_PLAN_H_
#define TAO_TESTS_FAKES_COMMON_FAULT_PLAN_H_

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace tao::fakes {

struct Fault {
  std::string method;  // "" matches any
  std::regex path;     // matched against the whole path the fake gives
  int count = 1;       // requests it fails; below 1 counts as 1
  int status = 0;      // 0: only the delay
  int delay_ms = 0;
  std::string message;
};

class FaultPlan {
 public:
  void Add(Fault fault) ABSL_LOCKS_EXCLUDED(mu_);
  void Clear() ABSL_LOCKS_EXCLUDED(mu_);
  // The first fault, in the order added, that matches this request; its
  // count drops by one and it is gone at 0.
  std::optional<Fault> Take(const std::string& method, const std::string& path)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Takes the fault due for this request and waits out its delay; returns
  // it when it fails the request (a status other than 0).
  std::optional<Fault> Inject(const std::string& method,
                              const std::string& path) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Mutex mu_;
  std::vector<Fault> faults_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_COMMON_FAULT_PLAN_H_
