#include "tests/fakes/kubernetes/faults.h"

#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tao::fakes::kubernetes {

absl::Status FaultInjector::Add(const nlohmann::json& spec) {
  if (!spec.is_object() || !spec.contains("path")) {
    return absl::InvalidArgumentError(
        "a fault needs at least \"path\" (a regex matched against the whole "
        "request path)");
  }
  Fault fault;
  fault.method = spec.value("method", "");
  fault.path_pattern = spec.value("path", "");
  fault.count = spec.value("count", 1);
  fault.code = spec.value("code", 0);
  fault.delay_ms = spec.value("delay_ms", 0);
  fault.message = spec.value("message", "injected by the fake");
  static const std::set<int> kCodes = {0, 401, 403, 409, 429, 500, 504};
  if (kCodes.count(fault.code) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fault code ", fault.code,
        " is not supported; use 0 (delay only), 401, 403, 409, 429, 500 or "
        "504"));
  }
  try {
    fault.path_regex = std::regex(fault.path_pattern);
  } catch (const std::regex_error& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("fault path \"", fault.path_pattern,
                     "\" is not a valid regex: ", e.what()));
  }
  absl::MutexLock lock(&mu_);
  faults_.push_back(std::move(fault));
  return absl::OkStatus();
}

void FaultInjector::Clear() {
  absl::MutexLock lock(&mu_);
  faults_.clear();
}

std::optional<Fault> FaultInjector::Take(const std::string& method,
                                         const std::string& path) {
  absl::MutexLock lock(&mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->method.empty() && it->method != method) continue;
    if (!std::regex_match(path, it->path_regex)) continue;
    Fault fault = *it;
    if (--it->count <= 0) faults_.erase(it);
    return fault;
  }
  return std::nullopt;
}

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

}  // namespace tao::fakes::kubernetes
