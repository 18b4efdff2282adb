// kubeconfig files as kubectl reads them: parsed, relative paths resolved
// and several files merged. Choosing a context and checking what it points
// to is kube_credentials.h's job.
//
// Rules (client-go tools/clientcmd/loader.go, ClientConfigLoadingRules.Load
// and ResolveLocalPaths; checked with kubectl and python-kubernetes, see
// docs/platforms.md):
// - files that do not exist are skipped; one that exists but cannot be
//   read or parsed is an error;
// - the first file that sets current-context wins, and the first file
//   that defines a cluster, user or context of a name wins for that name,
//   whole (nothing of a later entry of the same name is used);
// - one file defining a name twice is an error (kubectl refuses it;
//   python-kubernetes silently takes one);
// - certificate-authority, client-certificate, client-key and tokenFile,
//   when relative, are relative to the folder of the file that defines
//   them;
// - *-data fields are base64 (PEM after decoding).
#ifndef TAO_PLATFORMS_KUBERNETES_KUBECONFIG_H_
#define TAO_PLATFORMS_KUBERNETES_KUBECONFIG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platforms/kubernetes/kube_io.h"

namespace tao::platforms::kubernetes {

struct KubeconfigCluster {
  std::string origin;  // the file that defines it
  std::string server;
  std::string certificate_authority;       // absolute path
  std::string certificate_authority_data;  // decoded PEM
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;
};

// Secret fields (token, client_key_data, password) never go into messages.
struct KubeconfigUser {
  std::string origin;
  std::string token;
  std::string token_file;               // absolute path
  std::string client_certificate;       // absolute path
  std::string client_certificate_data;  // decoded PEM
  std::string client_key;               // absolute path
  std::string client_key_data;          // decoded PEM
  std::string username;
  std::string password;
  bool has_exec = false;
  std::string exec_command;
  bool has_auth_provider = false;
  std::string auth_provider_name;
  // as, as-uid, as-groups, as-user-extra.
  bool impersonates = false;
};

struct KubeconfigContext {
  std::string origin;
  std::string cluster;
  std::string user;
  std::string namespace_;
};

struct MergedKubeconfig {
  std::vector<std::string> files;  // read, in order (absolute paths)
  std::string current_context;
  std::map<std::string, KubeconfigCluster> clusters;
  std::map<std::string, KubeconfigUser> users;
  std::map<std::string, KubeconfigContext> contexts;

  bool empty() const {
    return current_context.empty() && clusters.empty() && users.empty() &&
           contexts.empty();
  }
};

// Reads and merges `files` in order. With `must_exist` (an explicit
// --kubeconfig), a missing file is an error. Errors: FAILED_PRECONDITION
// 'error loading config file "<file>": <why>'.
absl::StatusOr<MergedKubeconfig> LoadKubeconfigs(
    const std::vector<std::string>& files, bool must_exist, const KubeIo& io);

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_KUBECONFIG_H_
