#include "tests/fakes/kubernetes/faults.h"

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tao::fakes::kubernetes {

absl::StatusOr<Fault> FaultFromJson(const nlohmann::json& spec) {
  if (!spec.is_object() || !spec.contains("path")) {
    return absl::InvalidArgumentError(
        "a fault needs at least \"path\" (a regex matched against the whole "
        "request path)");
  }
  Fault fault;
  fault.method = spec.value("method", "");
  const std::string pattern = spec.value("path", "");
  fault.count = spec.value("count", 1);
  fault.status = spec.value("code", 0);
  fault.delay_ms = spec.value("delay_ms", 0);
  fault.message = spec.value("message", "injected by the fake");
  static const std::set<int> kCodes = {0, 401, 403, 409, 429, 500, 504};
  if (kCodes.count(fault.status) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fault code ", fault.status,
        " is not supported; use 0 (delay only), 401, 403, 409, 429, 500 or "
        "504"));
  }
  try {
    fault.path = std::regex(pattern);
  } catch (const std::regex_error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fault path \"", pattern, "\" is not a valid regex: ", e.what()));
  }
  return fault;
}

}  // namespace tao::fakes::kubernetes
