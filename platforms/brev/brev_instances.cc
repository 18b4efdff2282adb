#include "platforms/brev/brev_instances.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace tao::platforms::brev {
namespace {

using json = nlohmann::json;

std::string StringAt(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The first line of `text`, at most 120 characters, for messages.
std::string FirstLine(absl::string_view text) {
  text = absl::StripLeadingAsciiWhitespace(text);
  text = text.substr(0, text.find('\n'));
  if (text.size() > 120) return absl::StrCat(text.substr(0, 120), "...");
  return std::string(text);
}

}  // namespace

bool IsLoggedOutPrompt(absl::string_view stdout_text) {
  // [B] auth/auth.go PromptForLogin.
  return absl::StrContains(stdout_text, "You are currently logged out");
}

absl::StatusOr<std::vector<BrevInstance>> ParseInstanceList(
    absl::string_view stdout_text) {
  if (IsLoggedOutPrompt(stdout_text)) {
    return absl::FailedPreconditionError(
        "brev is not logged in (it asked to log in instead of listing "
        "instances)");
  }
  const json parsed =
      json::parse(stdout_text.begin(), stdout_text.end(), nullptr,
                  /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("workspaces")) {
    return absl::InternalError(
        absl::StrCat("`brev ls --json` printed no instance list",
                     stdout_text.empty()
                         ? ""
                         : absl::StrCat(": \"", FirstLine(stdout_text), "\"")));
  }
  std::vector<BrevInstance> instances;
  const json& workspaces = parsed["workspaces"];
  if (workspaces.is_null()) return instances;  // a nil Go slice
  if (!workspaces.is_array()) {
    return absl::InternalError(
        "`brev ls --json`: \"workspaces\" is neither a list nor null");
  }
  for (const json& entry : workspaces) {
    if (!entry.is_object()) continue;
    BrevInstance instance;
    instance.name = StringAt(entry, "name");
    instance.id = StringAt(entry, "id");
    instance.status = StringAt(entry, "status");
    instance.build_status = StringAt(entry, "build_status");
    instance.shell_status = StringAt(entry, "shell_status");
    instance.health_status = StringAt(entry, "health_status");
    instance.instance_type = StringAt(entry, "instance_type");
    instance.instance_kind = StringAt(entry, "instance_kind");
    instance.gpu = StringAt(entry, "gpu");
    instances.push_back(std::move(instance));
  }
  return instances;
}

bool IsInstanceName(absl::string_view name) {
  if (name.empty() || name.size() > 63 || !absl::ascii_isalnum(name[0])) {
    return false;
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

InstanceStanding StandingOf(const BrevInstance& instance) {
  const std::string& status = instance.status;
  if (status == "FAILURE" || status == "UNHEALTHY" ||
      instance.build_status == "CREATE_FAILED") {
    return InstanceStanding::kFailed;
  }
  if (status == "DELETING") return InstanceStanding::kGoing;
  if (status == "STOPPED" || status == "STOPPING") {
    return InstanceStanding::kStopped;
  }
  if (status == "RUNNING" &&
      (instance.build_status.empty() || instance.build_status == "COMPLETED")) {
    return InstanceStanding::kRunning;
  }
  return InstanceStanding::kStarting;
}

}  // namespace tao::platforms::brev
