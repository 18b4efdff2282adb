// What every end-to-end test of the kubernetes platform needs: the real
// tao-inferd with a kubeconfig for the fake API server (in this process,
// HTTPS, a token, pods on the REAL Docker engine from the reference-backend
// test image, LoadBalancer and NodePort Services forwarding to them), a
// canary HF_TOKEN that must reach the Secret and nothing else, kubectl as
// an independent client of the same cluster, and removal of every
// container the fake ran. Skipped without a Docker engine unless
// TAO_REQUIRE_DOCKER=1, without kubectl unless TAO_REQUIRE_KUBE_CLIENTS=1.
#ifndef TAO_TESTS_INTEGRATION_KUBERNETES_KUBE_E2E_FIXTURE_H_
#define TAO_TESTS_INTEGRATION_KUBERNETES_KUBE_E2E_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/platform_e2e_fixture.h"
#include "tests/platforms/kubernetes/kube_test_cluster.h"

namespace tao::integration::kubernetes {

inline constexpr char kPlatform[] = "kubernetes";

class KubeE2eTest : public PlatformE2eTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  v1::StartRequest StartRequestFor(const std::string& network_arch,
                                   const std::string& service_type = "") const;

  // kubectl (the Cloud SDK's 1.32) with the test kubeconfig; its output.
  RunOutput Kubectl(const std::vector<std::string>& args);
  // `kubectl get <kinds> -l <the managed-by label> -A -o json`: the items.
  nlohmann::json ManagedObjects(
      const std::string& kinds = "jobs,pods,services,secrets");
  // Every request the driver sent is allowed by docs/kubernetes-rbac.yaml.
  void ExpectRequestsAllowedByRbacDoc();

  std::string docker_host_;
  std::string owner_;
  std::string server_instance_;
  std::unique_ptr<platforms::kubernetes::testing::KubeTestCluster> cluster_;
};

}  // namespace tao::integration::kubernetes

#endif  // TAO_TESTS_INTEGRATION_KUBERNETES_KUBE_E2E_FIXTURE_H_
