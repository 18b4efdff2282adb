#include "tests/fakes/lepton/fake_controls.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"

namespace tao::fakes::lepton {

using nlohmann::json;

absl::StatusOr<Fault> FaultFromJson(const json& spec) {
  if (!spec.is_object()) {
    return absl::InvalidArgumentError("a fault is a JSON object");
  }
  Fault fault;
  try {
    fault.method = spec.value("method", "");
    const std::string pattern = spec.value("path", ".*");
    fault.count = spec.value("count", 1);
    fault.status = spec.value("status", 500);
    fault.delay_ms = spec.value("delay_ms", 0);
    fault.message = spec.value("message", "injected by the fake");
    fault.path = std::regex(pattern);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("a bad fault (path is a regex; count, status and delay_ms "
                     "are numbers): ",
                     e.what()));
  }
  if (fault.status != 0 && (fault.status < 400 || fault.status > 599)) {
    return absl::InvalidArgumentError(
        "fault status must be 0 (delay only) or 400-599");
  }
  if (fault.count < 1) {
    return absl::InvalidArgumentError("fault count must be at least 1");
  }
  return fault;
}

std::string RedactedBody(const std::string& path, const std::string& body) {
  const bool secrets = absl::StrContains(path, "/usersecrets");
  const bool pull_secrets = absl::StrContains(path, "/imagepullsecrets");
  if (body.empty() || (!secrets && !pull_secrets)) return body;
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return "<unparsable secret body, not kept>";
  if (secrets && parsed.is_array()) {
    for (json& item : parsed) {
      if (item.is_object() && item.contains("value")) {
        item["value"] = "<redacted>";
      }
    }
  }
  if (pull_secrets && parsed.is_object() && parsed.contains("spec") &&
      parsed["spec"].is_object() && parsed["spec"].contains("password")) {
    parsed["spec"]["password"] = "<redacted>";
  }
  return parsed.dump();
}

json LogEntry(const httplib::Request& request) {
  json header_names = json::array();
  for (const auto& [name, value] : request.headers) {
    // httplib adds these for its own bookkeeping.
    if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" ||
        name == "LOCAL_ADDR" || name == "LOCAL_PORT") {
      continue;
    }
    header_names.push_back(name);
  }
  const size_t question = request.target.find('?');
  return {{"method", request.method},
          {"path", request.path},
          {"query", question == std::string::npos
                        ? ""
                        : request.target.substr(question + 1)},
          {"headers", std::move(header_names)},
          {"body", RedactedBody(request.path, request.body)}};
}

}  // namespace tao::fakes::lepton
