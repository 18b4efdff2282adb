// Scripted misbehaviour (the control path's /_fake/faults) and the request
// log (/_fake/requests).
#ifndef TAO_TESTS_FAKES_KUBERNETES_FAULTS_H_
#define TAO_TESTS_FAKES_KUBERNETES_FAULTS_H_

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

struct Fault {
  std::string method;        // "" matches any
  std::string path_pattern;  // ECMAScript regex, whole path
  int count = 1;
  int code = 0;  // 0: no error, only the delay
  int delay_ms = 0;
  std::string message;  // for 500
  std::regex path_regex;
};

class FaultInjector {
 public:
  // {"method","path","count","code","delay_ms","message"}; code one of
  // 0, 401, 403, 409, 429, 500, 504.
  absl::Status Add(const nlohmann::json& spec);
  void Clear();
  // The fault for this request, if one is due (its count drops by one).
  std::optional<Fault> Take(const std::string& method, const std::string& path);

 private:
  absl::Mutex mu_;
  std::vector<Fault> faults_ ABSL_GUARDED_BY(mu_);
};

class RequestLog {
 public:
  void Record(nlohmann::json entry);
  nlohmann::json Entries() const;
  void Clear();

 private:
  mutable absl::Mutex mu_;
  nlohmann::json entries_ ABSL_GUARDED_BY(mu_) = nlohmann::json::array();
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_FAULTS_H_
