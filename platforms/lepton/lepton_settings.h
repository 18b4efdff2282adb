// Where the DGX Cloud Lepton workspace API is and the token it takes, read
// from the environment as the Lepton SDK reads it (lepton-api.md §1, [S]
// api/v2/client.py APIClient.__init__), without its local record file:
//   - workspace id: LEPTON_WORKSPACE_ID. An id that contains ':' is the
//     credential "<id>:<token>" (`lep login -c`, D4);
//   - token: the credential's, else LEPTON_WORKSPACE_TOKEN, else
//     LEPTON_AUTH_TOKEN (the TAO skill's name for it, D5; the SDK never
//     reads it);
//   - url: LEPTON_WORKSPACE_URL, else the DGXC gateway's base for the id;
//   - origin: LEPTON_WORKSPACE_ORIGIN_URL, else the url when it contains
//     "dgxc" (utils.py _get_workspace_origin_url), else none.
//
// The token is a credential: no message, log line or DebugString carries
// it.
#ifndef TAO_PLATFORMS_LEPTON_LEPTON_SETTINGS_H_
#define TAO_PLATFORMS_LEPTON_LEPTON_SETTINGS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tao::platforms::lepton {

inline constexpr char kEnvWorkspaceId[] = "LEPTON_WORKSPACE_ID";
inline constexpr char kEnvWorkspaceToken[] = "LEPTON_WORKSPACE_TOKEN";
inline constexpr char kEnvAuthToken[] = "LEPTON_AUTH_TOKEN";
inline constexpr char kEnvWorkspaceUrl[] = "LEPTON_WORKSPACE_URL";
inline constexpr char kEnvWorkspaceOriginUrl[] = "LEPTON_WORKSPACE_ORIGIN_URL";

// API_URL_BASE + DGXC_WORKSPACE_API_PATH of [S] config.py; the id follows.
inline constexpr char kDefaultWorkspaceUrlPrefix[] =
    "https://gateway.dgxc-lepton.nvidia.com/api/v2/workspaces/";

struct LeptonSettings {
  std::string workspace_id;
  // "http(s)://host[:port]/path", no trailing '/'; API paths are appended.
  std::string workspace_url;
  // Sent as the `origin` header; empty: no header.
  std::string origin_url;
  // Never logged or put into a message.
  std::string token;
  // The variable the token came from (kEnvWorkspaceId for a credential),
  // for messages that tell the user what to fix.
  std::string token_variable;

  // Everything but the token, which shows only as its source and length.
  std::string DebugString() const;
};

// A variable of the environment; nullopt when unset.
using Getenv =
    std::function<std::optional<std::string>(absl::string_view name)>;

// The process environment (::getenv).
std::optional<std::string> ProcessGetenv(absl::string_view name);

// The settings from `getenv` (null: ProcessGetenv). A variable set to ""
// counts as unset. Errors name the variable, never a token:
//   FAILED_PRECONDITION when LEPTON_WORKSPACE_ID or every token variable is
//     missing;
//   INVALID_ARGUMENT when a value is malformed (an id with characters a URL
//     path cannot hold, a credential without its token, a token with
//     white space, a URL that is not http(s)://host...), or when the
//     credential's token and LEPTON_WORKSPACE_TOKEN disagree.
absl::StatusOr<LeptonSettings> LeptonSettingsFromEnvironment(
    const Getenv& getenv = nullptr);

}  // namespace tao::platforms::lepton

#endif  // TAO_PLATFORMS_LEPTON_LEPTON_SETTINGS_H_
