// What tests steer and read besides the Lepton API: scripted failures of
// the next requests (POST /_fake/faults) and the request log
// (GET /_fake/requests).
#ifndef TAO_TESTS_FAKES_LEPTON_FAKE_CONTROLS_H_
#define TAO_TESTS_FAKES_LEPTON_FAKE_CONTROLS_H_

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"

namespace httplib {
struct Request;
}

namespace tao::fakes::lepton {

struct Fault {
  std::string method;  // "" matches any
  std::regex path;     // matched against the path below the workspace
  int count = 1;
  int status = 500;  // 0: only the delay
  int delay_ms = 0;
  std::string message;
};

class FaultPlan {
 public:
  // {"method"?, "path"? (ECMAScript regex, default ".*"), "count"? (1),
  //  "status"? (500; 0 = delay only; else 400-599), "delay_ms"?,
  //  "message"?}.
  absl::Status Add(const nlohmann::json& spec) ABSL_LOCKS_EXCLUDED(mu_);
  void Clear() ABSL_LOCKS_EXCLUDED(mu_);
  // The fault due for this request, if any (its count drops by one).
  std::optional<Fault> Take(const std::string& method, const std::string& path)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Mutex mu_;
  std::vector<Fault> faults_ ABSL_GUARDED_BY(mu_);
};

// Every API request: method, path, query, header names (never their
// values: they carry tokens) and body. The values of user secrets and the
// passwords of image pull secrets are replaced by "<redacted>": they stay
// in the workspace's secret store only.
class RequestLog {
 public:
  void Record(const httplib::Request& request) ABSL_LOCKS_EXCLUDED(mu_);
  nlohmann::json Entries() const ABSL_LOCKS_EXCLUDED(mu_);
  void Clear() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  nlohmann::json entries_ ABSL_GUARDED_BY(mu_) = nlohmann::json::array();
};

// The body as the request log keeps it.
std::string RedactedBody(const std::string& path, const std::string& body);

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_FAKE_CONTROLS_H_
