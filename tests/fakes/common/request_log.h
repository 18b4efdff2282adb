// The requests a fake has seen, one JSON object each in arrival order, as
// its control route GET /_fake/requests shows them. What an entry holds is
// the fake's choice (the Lepton fake keeps no header values, for example).
#ifndef TAO_TESTS_FAKES_COMMON_REQUEST_LOG_H_
#define TAO_TESTS_FAKES_COMMON_REQUEST_LOG_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"

namespace tao::fakes {

class RequestLog {
 public:
  void Record(nlohmann::json entry) ABSL_LOCKS_EXCLUDED(mu_);
  // A JSON array of the entries.
  nlohmann::json Entries() const ABSL_LOCKS_EXCLUDED(mu_);
  void Clear() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  nlohmann::json entries_ ABSL_GUARDED_BY(mu_) = nlohmann::json::array();
};

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_COMMON_REQUEST_LOG_H_
