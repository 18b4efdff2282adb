#include "tests/fakes/common/request_log.h"

#include <utility>

namespace tao::fakes {

void RequestLog::Record(nlohmann::json entry) {
  absl::MutexLock lock(&mu_);
  entries_.push_back(std::move(entry));
}

nlohmann::json RequestLog::Entries() const {
  absl::MutexLock lock(&mu_);
  return entries_;
}

void RequestLog::Clear() {
  absl::MutexLock lock(&mu_);
  entries_ = nlohmann::json::array();
}

}  // namespace tao::fakes
