#include "platforms/lepton/lepton_settings.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace tao::platforms::lepton {
namespace {

// The value of `name`, "" when unset.
std::string Read(const Getenv& getenv, absl::string_view name) {
  std::optional<std::string> value = getenv(name);
  return value.has_value() ? *value : std::string();
}

// Workspace ids go into URL paths unescaped. The SDK does not say what an
// id may hold; DGXC ids seen in the docs are short alphanumeric strings
// (not verified), so this allows only what needs no escaping.
bool IsPlainId(absl::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

// A token goes into a header line: white space or control characters
// would break it (or add a header).
bool IsHeaderSafe(absl::string_view token) {
  for (char c : token) {
    if (absl::ascii_isspace(c) || absl::ascii_iscntrl(c)) return false;
  }
  return true;
}

bool IsHttpUrl(absl::string_view url) {
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "https://") &&
      !absl::ConsumePrefix(&rest, "http://")) {
    return false;
  }
  if (rest.empty() || rest.front() == '/') return false;
  for (char c : rest) {
    if (absl::ascii_isspace(c) || absl::ascii_iscntrl(c)) return false;
  }
  return true;
}

absl::Status BadUrl(absl::string_view variable, absl::string_view url) {
  return absl::InvalidArgumentError(
      absl::StrCat(variable, " is \"", url,
                   "\", which is not an http:// or https:// URL with a host"));
}

}  // namespace

std::optional<std::string> ProcessGetenv(absl::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string LeptonSettings::DebugString() const {
  return absl::StrCat("workspace ", workspace_id, " at ", workspace_url,
                      ", origin ", origin_url.empty() ? "(none)" : origin_url,
                      ", token from ", token_variable, " (", token.size(),
                      " characters)");
}

absl::StatusOr<LeptonSettings> LeptonSettingsFromEnvironment(
    const Getenv& getenv_or_null) {
  const Getenv getenv =
      getenv_or_null != nullptr ? getenv_or_null : Getenv(ProcessGetenv);
  LeptonSettings settings;

  std::string id = Read(getenv, kEnvWorkspaceId);
  if (id.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        kEnvWorkspaceId,
        " is not set: set it to the Lepton workspace id (or to the "
        "credential \"<id>:<token>\" that `lep login -c` takes)"));
  }
  // "<id>:<token>": the token is everything after the first ':'.
  std::string credential_token;
  if (const size_t colon = id.find(':'); colon != std::string::npos) {
    credential_token = id.substr(colon + 1);
    id.resize(colon);
    if (credential_token.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          kEnvWorkspaceId,
          " holds a credential \"<id>:<token>\" whose token is empty"));
    }
  }
  if (!IsPlainId(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(kEnvWorkspaceId, " names the workspace \"", id,
                     "\"; an id holds only letters, digits, '-', '_' and '.'"));
  }
  settings.workspace_id = id;

  const std::string workspace_token = Read(getenv, kEnvWorkspaceToken);
  if (!credential_token.empty()) {
    // The SDK's order for this case is not verified; two different tokens
    // are a mistake worth reporting rather than a choice to guess.
    if (!workspace_token.empty() && workspace_token != credential_token) {
      return absl::InvalidArgumentError(absl::StrCat(
          kEnvWorkspaceId, " holds a credential whose token differs from ",
          kEnvWorkspaceToken, "; set only one of them"));
    }
    settings.token = credential_token;
    settings.token_variable = kEnvWorkspaceId;
  } else if (!workspace_token.empty()) {
    settings.token = workspace_token;
    settings.token_variable = kEnvWorkspaceToken;
  } else if (std::string alias = Read(getenv, kEnvAuthToken); !alias.empty()) {
    settings.token = alias;
    settings.token_variable = kEnvAuthToken;
  } else {
    return absl::FailedPreconditionError(absl::StrCat(
        "no Lepton workspace token: set ", kEnvWorkspaceToken, " (or ",
        kEnvAuthToken, ", or ", kEnvWorkspaceId,
        " to \"<id>:<token>\"); the workspace's settings page makes one"));
  }
  if (!IsHeaderSafe(settings.token)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the Lepton workspace token in ", settings.token_variable,
                     " holds white space or control characters"));
  }

  std::string url = Read(getenv, kEnvWorkspaceUrl);
  if (url.empty()) {
    url = absl::StrCat(kDefaultWorkspaceUrlPrefix, id);
  } else if (!IsHttpUrl(url)) {
    return BadUrl(kEnvWorkspaceUrl, url);
  }
  while (absl::EndsWith(url, "/")) url.pop_back();
  settings.workspace_url = url;

  std::string origin = Read(getenv, kEnvWorkspaceOriginUrl);
  if (!origin.empty() && !IsHttpUrl(origin)) {
    return BadUrl(kEnvWorkspaceOriginUrl, origin);
  }
  if (origin.empty() && absl::StrContains(url, "dgxc")) origin = url;
  settings.origin_url = origin;
  return settings;
}

}  // namespace tao::platforms::lepton
