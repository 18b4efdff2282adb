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

  // Rewrites the kubeconfig with `token` for user "driver" and `server`
  // ("" : the fake's URL).
  void WriteKubeconfig(const std::string& token,
                       const std::string& server = "");
  // The same kubeconfig in another file (beside it, so that its relative
  // CA path holds); returns that file's path.
  std::string WriteKubeconfigAs(const std::string& file_name,
                                const std::string& token,
                                const std::string& server);
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
  std::unique_ptr<fakes::kubernetes::FakeKubeApiServer> fake_;
};

}  // namespace tao::platforms::kubernetes::testing

#endif  // TAO_TESTS_PLATFORMS_KUBERNETES_KUBE_TEST_CLUSTER_H_
