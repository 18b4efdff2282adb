// The platform conformance suite (tests/platforms/conformance) on the
// kubernetes driver and the fake API server (tests/fakes/kubernetes) over
// HTTPS with a token, whose pods run on the REAL Docker engine
// (scripts/docker-up) from the reference-backend test image: once with
// LoadBalancer Services (a loopback address that forwards to the pod), once
// with ClusterIP ones (the driver's forward through the Service proxy).
// Skipped without an engine unless TAO_REQUIRE_DOCKER is set.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platforms/kubernetes/kubernetes_platform.h"
#include "platforms/kubernetes/object_names.h"
#include "tests/fakes/kubernetes/docker_pod_runner.h"
#include "tests/platforms/conformance/platform_conformance.h"
#include "tests/platforms/kubernetes/kube_test_cluster.h"
#include "tests/platforms/local_docker/docker_test_env.h"
#include "tests/support/free_port.h"

namespace tao::platforms::kubernetes {
namespace {

namespace docker_testing = local_docker::testing;
using fakes::kubernetes::DockerPodRunner;
using fakes::kubernetes::FakeKubeApiServer;

class KubernetesConformanceEnv : public conformance::ConformanceEnv {
 public:
  explicit KubernetesConformanceEnv(std::string service_type)
      : service_type_(std::move(service_type)) {}

  absl::Status SetUp() override {
    absl::StatusOr<std::string> host = docker_testing::FindDockerHost();
    if (!host.ok()) return host.status();
    docker_host_ = *host;
    if (absl::Status image = docker_testing::EnsureTestImage(docker_host_);
        !image.ok()) {
      return image;
    }
    owner_ = docker_testing::UniqueName("tao-k8s-conformance");
    DockerPodRunner::Options runner;
    runner.docker_host = docker_host_;
    runner.owner = owner_;
    absl::StatusOr<std::unique_ptr<DockerPodRunner>> pods =
        DockerPodRunner::Create(runner);
    if (!pods.ok()) return pods.status();
    FakeKubeApiServer::Options options;
    options.runner = *std::move(pods);
    options.service_network = true;
    // Node ports: below the kernel's ephemeral range (32768-), above the
    // test harness's port blocks (20000-29599).
    options.node_port_min = 29600;
    options.node_port_max = 29999;
    absl::StatusOr<std::unique_ptr<testing::KubeTestCluster>> cluster =
        testing::KubeTestCluster::Start(std::move(options));
    if (!cluster.ok()) return cluster.status();
    cluster_ = *std::move(cluster);
    server_instance_ = owner_;
    return absl::OkStatus();
  }
  bool Required() const override { return docker_testing::DockerRequired(); }

  std::unique_ptr<Platform> MakePlatform() override {
    return Make(cluster_->kubeconfig());
  }
  std::unique_ptr<Platform> MakeUnreachablePlatform() override {
    // The same cluster entry, on a port where connections are refused.
    return Make(cluster_->WriteKubeconfigAs(
        "unreachable-kubeconfig", {testing::kTestToken, "", false},
        absl::StrCat("https://127.0.0.1:", closed_port_.port())));
  }

  LaunchSpec NewSpec() override {
    LaunchSpec spec =
        conformance::ReferenceBackendSpec("local-k8s", server_instance_);
    spec.image = docker_testing::kTestImage;
    spec.deadline = absl::Now() + absl::Minutes(2);
    // A ClusterIP Service is reached through a forward on a port here.
    if (service_type_ == "ClusterIP") spec.host_port = tests::FreeTcpPort();
    return spec;
  }

  Placement MissingPlacement() override {
    Placement placement;
    placement.job_id = docker_testing::RandomJobId();
    placement.platform_job_id = *ObjectName(placement.job_id);
    placement.namespace_ = "default";
    placement.host_url = "http://127.0.1.254:8080";
    return placement;
  }

  void CleanUp() override {
    // The fake removes its pods' containers when it stops; a failed test
    // may have left Jobs, which go with it.
    cluster_.reset();
    DockerPodRunner::RemoveLeftovers(docker_host_, owner_);
  }

 private:
  std::unique_ptr<Platform> Make(const std::string& kubeconfig) {
    KubernetesPlatform::Options options;
    options.credentials.kubeconfig = kubeconfig;
    options.service_type = service_type_;
    options.poll_min = absl::Milliseconds(100);
    options.poll_max = absl::Milliseconds(500);
    options.address_wait = absl::Seconds(30);
    options.shm_size_bytes = int64_t{64} << 20;
    absl::StatusOr<std::unique_ptr<KubernetesPlatform>> platform =
        KubernetesPlatform::Create(std::move(options));
    if (!platform.ok()) {
      ADD_FAILURE() << platform.status();
      return nullptr;
    }
    return *std::move(platform);
  }

  const std::string service_type_;
  std::string docker_host_;
  std::string owner_;
  std::string server_instance_;
  tests::LoopbackSocket closed_port_;
  std::unique_ptr<testing::KubeTestCluster> cluster_;
};

std::unique_ptr<conformance::ConformanceEnv> MakeLoadBalancerEnv() {
  return std::make_unique<KubernetesConformanceEnv>("LoadBalancer");
}
std::unique_ptr<conformance::ConformanceEnv> MakeClusterIpEnv() {
  return std::make_unique<KubernetesConformanceEnv>("ClusterIP");
}

using conformance::PlatformConformanceTest;
INSTANTIATE_TEST_SUITE_P(KubernetesLoadBalancer, PlatformConformanceTest,
                         ::testing::Values(&MakeLoadBalancerEnv));
INSTANTIATE_TEST_SUITE_P(KubernetesClusterIp, PlatformConformanceTest,
                         ::testing::Values(&MakeClusterIpEnv));

}  // namespace
}  // namespace tao::platforms::kubernetes
