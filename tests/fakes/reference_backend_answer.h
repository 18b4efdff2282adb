// An HTTP answer of the reference test backend, before it is written out.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_ANSWER_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_ANSWER_H_

#include <string>

#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace tao::fakes {

struct HttpAnswer {
  int status = 200;
  nlohmann::json body;
};

// The container's error answer: {"error":{"message":M,"type":T}} (spec §9).
inline HttpAnswer ErrorAnswer(int status, const std::string& type,
                              const std::string& message) {
  return {status, {{"error", {{"message", message}, {"type", type}}}}};
}

// ISO-8601 UTC with microseconds, as Python's isoformat() writes it.
inline std::string IsoTimestamp(absl::Time now) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6S+00:00", now,
                          absl::UTCTimeZone());
}

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_ANSWER_H_
