// A fake API server (tests/fakes/kubernetes) set up the way a kubeconfig
// reaches a real cluster: HTTPS with its own CA (make-test-certs), a bearer
// token, a context "lab" with user "driver" and namespace "default", and
// the kubeconfig file the driver reads. For the kubernetes driver's tests.
#ifndef TAO_TESTS_PLATFORMS_KUBERNETES_KUBE_TEST_CLUSTER_H_
#define TAO_TESTS_PLATFORMS_KUBERNETES_KUBE_TEST_CLUSTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platforms/kubernetes/kube_credentials.h"
#include "tests/fakes/kubernetes/fake_kube_apiserver.h"
#include "tests/support/temp_dir.h"

namespace tao::platforms::kubernetes::testing {

inline constexpr char kTestToken[] = "tok-driver-canary-8c1f";

class KubeTestCluster {
 public:
  // `options` may set the runner, namespaces and the service network; the
  // TLS files, token file and port are set here.
  static absl::StatusOr<std::unique_ptr<KubeTestCluster>> Start(
      fakes::kubernetes::FakeKubeApiServer::Options options);

  // How the kubeconfig's user "driver" authenticates.
  struct User {
    std::string token;
    std::string token_file;    // tokenFile (relative to the kubeconfig)
    bool client_cert = false;  // certs/client.crt and client.key
  };
  // Rewrites the kubeconfig with `token` for user "driver" and `server`
  // ("" : the fake's URL).
  void WriteKubeconfig(const std::string& token,
                       const std::string& server = "");
  // A kubeconfig in another file (beside the first, so that its relative
  // paths hold); returns that file's path.
  std::string WriteKubeconfigAs(const std::string& file_name, const User& user,
                                const std::string& server = "");
  // From now on the fake accepts exactly these tokens (each for user
  // "driver-user"): an earlier token is refused, as an expired one is.
  absl::Status AcceptTokens(const std::vector<std::string>& tokens);
  // A file in the cluster's folder.
  std::string File(const std::string& name) const { return dir_.File(name); }

  const std::string& kubeconfig() const { return kubeconfig_; }
  const std::string& certs_dir() const { return certs_; }
  // The credentials the kubeconfig gives (an ADD_FAILURE when it gives none).
  KubeCredentials Credentials() const;
  // The HTTP status of GET `path` with those credentials (200, 404 or 500).
  int StatusOf(const std::string& path) const;

  fakes::kubernetes::FakeKubeApiServer& fake() { return *fake_; }
  std::string url() const { return fake_->url(); }

 private:
  KubeTestCluster() = default;
  tests::TempDir dir_{"tao-k8s-cluster"};
  std::string certs_;
  std::string kubeconfig_;
  std::string tokens_;
  std::unique_ptr<fakes::kubernetes::FakeKubeApiServer> fake_;
};

}  // namespace tao::platforms::kubernetes::testing

#endif  // TAO_TESTS_PLATFORMS_KUBERNETES_KUBE_TEST_CLUSTER_H_
