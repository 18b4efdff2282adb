// The Kubernetes REST API as the driver uses it: JSON objects by path over
// the shared HTTP client, with the credentials of kube_credentials.h (the
// bearer token read again for every call, so that a rotated token file is
// used at once) and one mapping of the API server's answers to
// absl::Status (KubeErrorStatus).
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_PLATFORMS_KUBERNETES_KUBE_API_H_
#define TAO_PLATFORMS_KUBERNETES_KUBE_API_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "platforms/common/http/http_client.h"
#include "platforms/kubernetes/kube_credentials.h"

namespace tao::platforms::kubernetes {

using Query = std::vector<std::pair<std::string, std::string>>;

// An answer the API server gave with a non-2xx status, as a Status with
// the server's own words (k8s-fake-fidelity.md §4): 401/403 as
// AuthErrorStatus; 404 NOT_FOUND (`jobs.batch "x" not found`, or the
// namespace); 409 ALREADY_EXISTS; 422 INVALID_ARGUMENT with every cause
// ("metadata.name: Invalid value: ..."); 400 INVALID_ARGUMENT; 429 and 5xx
// UNAVAILABLE (retry later); others by the shared HTTP mapping. `what`
// says what was asked ("create Job tao-x in namespace ml").
absl::Status KubeErrorStatus(const KubeCredentials& credentials,
                             absl::string_view what, long http_status,
                             absl::string_view body);

class KubeApi {
 public:
  explicit KubeApi(KubeCredentials credentials,
                   absl::Duration timeout = absl::Seconds(30));

  // GET of one object or list.
  absl::StatusOr<nlohmann::json> Get(const std::string& path,
                                     const Query& query = {});
  // POST of `object` to a collection; the created object.
  absl::StatusOr<nlohmann::json> Create(const std::string& collection,
                                        const nlohmann::json& object);
  // DELETE with an explicit propagation policy in the body (batch/v1 Jobs
  // orphan their pods without one; handlers/delete.go reads the body
  // first). NOT_FOUND when the object is gone.
  absl::Status Delete(const std::string& path,
                      absl::string_view propagation_policy);
  // GET of a text resource (pod logs).
  absl::StatusOr<std::string> GetText(const std::string& path,
                                      const Query& query = {});

  // Sends `request` (its url a path on the API server, e.g. a Service
  // proxy's) with the credentials, and returns the exchange as it came:
  // any HTTP status is the caller's to read (a proxied backend's 503 is
  // its own). Errors: only credentials that cannot be read.
  absl::StatusOr<http::HttpExchange> Relay(http::HttpRequest request);

  const KubeCredentials& credentials() const { return credentials_; }

 private:
  // `request` aimed at the API server, with its Authorization header.
  absl::Status Authorize(http::HttpRequest& request);
  absl::StatusOr<http::HttpExchange> Send(http::HttpRequest request,
                                          absl::string_view what);

  const KubeCredentials credentials_;
  const absl::Duration timeout_;
  http::HttpClient http_;
};

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_KUBE_API_H_
