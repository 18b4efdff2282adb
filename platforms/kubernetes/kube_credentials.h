// Where the Kubernetes API server is and who we are to it, found as every
// Kubernetes tool finds it:
//   1. an explicit kubeconfig file (must exist), else
//   2. KUBECONFIG (a ':' list, merged; see kubeconfig.h), else
//   3. $HOME/.kube/config;
//   4. only when none of those files exists (or all are empty): in-cluster,
//      when KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are
//      non-empty and the service-account token is a file (client-go
//      clientcmd inClusterClientConfig.Possible, as kubectl).
// From a kubeconfig, the named context or current-context gives cluster,
// user and namespace (empty: "default"). A context naming a user or cluster
// that no file defines is an error here; kubectl goes on without
// credentials (and prompts for a username) when the user is missing.
//
// Supported: server (http:// or https://), certificate-authority(-data),
// insecure-skip-tls-verify, tls-server-name and proxy-url (kept; the shared
// HTTP client uses neither yet), client-certificate(-data) and
// client-key(-data), token, tokenFile (re-read on change). Refused with a
// message naming the user: username/password, exec and auth-provider
// plugins, impersonation (as, as-groups, ...). As in kubectl, an http://
// server gets no credentials at all (clientcmd client_config.go: "only try
// to read the auth information if we are secure").
//
// Every error is FAILED_PRECONDITION and names the files read; none
// carries a token, key or password.
#ifndef TAO_PLATFORMS_KUBERNETES_KUBE_CREDENTIALS_H_
#define TAO_PLATFORMS_KUBERNETES_KUBE_CREDENTIALS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platforms/common/http/http_types.h"
#include "platforms/kubernetes/bearer_token_source.h"
#include "platforms/kubernetes/kube_io.h"

namespace tao::platforms::kubernetes {

inline constexpr char kServiceAccountDir[] =
    "/var/run/secrets/kubernetes.io/serviceaccount";

struct KubeCredentials {
  // "https://host:port" or with a path prefix; no trailing '/'.
  std::string server;
  // The CA and client certificate as file paths or PEM, as the kubeconfig
  // had them. May hold a private key: never logged.
  http::TlsOptions tls;
  // The host name the server certificate must carry, when not the URL's.
  // The shared HTTP client cannot check against it yet.
  std::string tls_server_name;
  // kubeconfig proxy-url; the shared HTTP client cannot use it yet.
  std::string proxy_url;
  std::string namespace_;  // never empty
  // Names in the kubeconfig; empty in-cluster (user: empty for a context
  // without one).
  std::string context, user, cluster;
  // The file that defines the context, and the one that defines the user
  // (they may differ when KUBECONFIG lists several). Empty in-cluster.
  std::string context_file, user_file;
  bool in_cluster = false;
  // "kubeconfig /path (context x)" or "in-cluster".
  std::string source;
  // Null: no bearer token.
  std::shared_ptr<BearerTokenSource> token;

  // Everything above but secrets: PEM and tokens appear only as "PEM
  // (N bytes)" / "a fixed token".
  std::string DebugString() const;
};

struct KubeCredentialOptions {
  // An explicit kubeconfig (kubectl --kubeconfig); empty: KUBECONFIG, then
  // $HOME/.kube/config.
  std::string kubeconfig;
  // Empty: the kubeconfig's current-context.
  std::string context;
  // The service-account folder of in-cluster mode (token, ca.crt,
  // namespace).
  std::string service_account_dir = kServiceAccountDir;
  KubeIo io;
};

absl::StatusOr<KubeCredentials> LoadKubeCredentials(
    const KubeCredentialOptions& options);

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_KUBE_CREDENTIALS_H_
