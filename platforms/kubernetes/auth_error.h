// What the driver says when the API server refuses the credentials (401) or
// the request (403): which server, context, user and kubeconfig, the
// server's own Status message, and what to check. Never a token or key.
#ifndef TAO_PLATFORMS_KUBERNETES_AUTH_ERROR_H_
#define TAO_PLATFORMS_KUBERNETES_AUTH_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "platforms/kubernetes/kube_credentials.h"

namespace tao::platforms::kubernetes {

// The `message` of a Kubernetes Status body ({"kind":"Status",...}); else
// the body's first line (at most 200 characters), or "HTTP <status>" when
// the body is empty.
std::string StatusMessageOf(long http_status, absl::string_view body);

// True for 401 and 403.
bool IsAuthRejection(long http_status);

// For a 401: UNAUTHENTICATED "the API server at <url> refused the
// credentials of user "<u>" in context "<c>" (kubeconfig <file>):
// <message>; check ...". For a 403: PERMISSION_DENIED "the API server at
// <url> refused the request of user ... : <message>; check ...". In-cluster
// names the pod's service account instead. Any other status: the shared
// HttpStatusToStatus mapping with the Status message. Values of the
// current token and client key are redacted from the server's words.
absl::Status AuthErrorStatus(const KubeCredentials& credentials,
                             long http_status, absl::string_view body);

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_AUTH_ERROR_H_
