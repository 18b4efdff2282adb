// The DGX Cloud Lepton workspace REST API as the driver uses it: JSON by
// path below the workspace URL over the shared HTTP client, with
// "Authorization: Bearer <token>" and, when set, the `origin` header
// (lepton-api.md §1, [S] api/v2/client.py), and one mapping of Lepton's
// answers to absl::Status (LeptonErrorStatus).
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_PLATFORMS_LEPTON_LEPTON_API_H_
#define TAO_PLATFORMS_LEPTON_LEPTON_API_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "platforms/common/http/http_client.h"
#include "platforms/lepton/lepton_settings.h"

namespace tao::platforms::lepton {

using Query = std::vector<std::pair<std::string, std::string>>;

// Lepton's words in an error answer: the JSON body's `message` (the shape
// is {"code","message"}, [S] cli/util.py explain_response), else the body's
// first line (at most 200 characters), else "HTTP <status>". The DGXC code
// strings are not verified, so only the message is used.
std::string LeptonMessageOf(long http_status, absl::string_view body);

// A non-2xx answer as a Status (lepton-api.md §2), classified on the HTTP
// status alone; `what` says what was asked ("create deployment tao-x").
// Messages name the workspace and its URL and carry Lepton's message with
// the token removed:
//   401 UNAUTHENTICATED: the workspace token (named by its variable) is
//       wrong or expired; except [C]'s 401 "workspace is paused or
//       terminated" for writes, which is FAILED_PRECONDITION;
//   403 PERMISSION_DENIED; 404 NOT_FOUND; 409 ALREADY_EXISTS;
//   400 INVALID_ARGUMENT; 429 and 5xx UNAVAILABLE (retry later);
//   others by the shared HTTP mapping.
absl::Status LeptonErrorStatus(const LeptonSettings& settings,
                               absl::string_view what, long http_status,
                               absl::string_view body);

class LeptonApi {
 public:
  // [S] client.py waits 120 s for an answer; the driver's calls are small
  // and a control plane should not hang that long.
  explicit LeptonApi(LeptonSettings settings,
                     absl::Duration timeout = absl::Seconds(30));

  // GET of `path` (below the workspace URL, starting with '/').
  absl::StatusOr<nlohmann::json> Get(const std::string& path,
                                     const Query& query = {});
  // POST of `body` to `path`; the answer's JSON (null for an empty body).
  // The body may hold secrets (api tokens): it is never logged.
  absl::StatusOr<nlohmann::json> Post(const std::string& path,
                                      const nlohmann::json& body);
  // DELETE of `path`; NOT_FOUND when it is gone.
  absl::Status Delete(const std::string& path);

  // GET /workspace, checked for what this driver cannot work with; the
  // WorkspaceInfo on success. FAILED_PRECONDITION when
  // features.enable_new_deployment_api is true (the SDK then uses the
  // /endpoints API, which this driver does not speak; [S-new]) or when
  // workspace_state is paused, all-pods-terminated or terminated. Other
  // errors: those of Get.
  absl::StatusOr<nlohmann::json> Preflight();

  const LeptonSettings& settings() const { return settings_; }

 private:
  absl::StatusOr<http::HttpExchange> Send(http::HttpRequest request,
                                          absl::string_view what);
  absl::StatusOr<nlohmann::json> ParseJson(const std::string& body,
                                           absl::string_view what) const;

  const LeptonSettings settings_;
  const absl::Duration timeout_;
  http::HttpClient http_;
};

}  // namespace tao::platforms::lepton

#endif  // TAO_PLATFORMS_LEPTON_LEPTON_API_H_
