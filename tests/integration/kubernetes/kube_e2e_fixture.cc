#include "tests/integration/kubernetes/kube_e2e_fixture.h"

#include <sys/stat.h>

#include <csignal>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "platforms/kubernetes/object_names.h"
#include "tests/fakes/kubernetes/docker_pod_runner.h"
#include "tests/integration/kubernetes/rbac_rules.h"
#include "tests/platforms/local_docker/docker_test_env.h"

namespace tao::integration::kubernetes {
namespace {

namespace docker_env = ::tao::platforms::local_docker::testing;
using fakes::kubernetes::DockerPodRunner;
using fakes::kubernetes::FakeKubeApiServer;

constexpr char kKubectl[] = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

bool Executable(const char* path) {
  struct stat info;
  return stat(path, &info) == 0 && (info.st_mode & S_IXUSR);
}

bool KubeClientsRequired() {
  const char* value = std::getenv("TAO_REQUIRE_KUBE_CLIENTS");
  return value != nullptr && *value != '\0' && std::string(value) != "0";
}

}  // namespace

void KubeE2eTest::SetUp() {
  TAO_REQUIRE_DOCKER_ENGINE(docker_host_);
  if (!Executable(kKubectl)) {
    if (KubeClientsRequired()) FAIL() << kKubectl << " is missing";
    GTEST_SKIP() << kKubectl << " is missing (the Cloud SDK's kubectl)";
  }
  absl::Status image = docker_env::EnsureTestImage(docker_host_);
  ASSERT_TRUE(image.ok()) << image;
  owner_ = docker_env::UniqueName("tao-k8s-e2e");
  server_instance_ = owner_;

  DockerPodRunner::Options runner;
  runner.docker_host = docker_host_;
  runner.owner = owner_;
  absl::StatusOr<std::unique_ptr<DockerPodRunner>> pods =
      DockerPodRunner::Create(runner);
  ASSERT_TRUE(pods.ok()) << pods.status();
  FakeKubeApiServer::Options options;
  options.runner = *std::move(pods);
  options.service_network = true;
  options.namespaces = {"default", "ml"};
  // Node ports: below the kernel's ephemeral range (32768-), above the
  // test harness's port blocks (20000-29599).
  options.node_port_min = 29600;
  options.node_port_max = 29999;
  auto cluster = platforms::kubernetes::testing::KubeTestCluster::Start(
      std::move(options));
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  cluster_ = *std::move(cluster);

  StartServer({{"KUBECONFIG", cluster_->kubeconfig()}}, server_instance_);
}

void KubeE2eTest::TearDown() {
  if (ready_) calls_.ExpectNowhere(hf_token_, "HF_TOKEN value");
  // What the driver sent the API server: the HF_TOKEN only in the body of
  // the Secret it created.
  if (ready_ && cluster_ != nullptr) {
    for (const nlohmann::json& entry : cluster_->fake().requests().Entries()) {
      const std::string path = entry.value("path", "");
      if (entry.value("method", "") == "POST" && path.size() > 8 &&
          path.substr(path.size() - 8) == "/secrets") {
        continue;
      }
      EXPECT_THAT(entry.dump(), ::testing::Not(::testing::HasSubstr(hf_token_)))
          << "the HF_TOKEN went to the API server outside a Secret";
    }
  }
  if (ready_ && cluster_ != nullptr) ExpectRequestsAllowedByRbacDoc();
  if (ready_ && server_.running()) {
    server_.Signal(SIGTERM);
    (void)server_.WaitExit(absl::Seconds(30));
  }
  cluster_.reset();  // the fake removes the containers of its pods
  if (owner_.empty()) return;
  DockerPodRunner::RemoveLeftovers(docker_host_, owner_);
}

void KubeE2eTest::ExpectRequestsAllowedByRbacDoc() {
  const std::string doc =
      absl::StrCat(std::getenv("TAO_SOURCE_DIR"), "/docs/kubernetes-rbac.yaml");
  absl::StatusOr<RbacPolicy> policy = LoadRbacPolicy(doc);
  ASSERT_TRUE(policy.ok()) << policy.status();
  for (const nlohmann::json& entry : cluster_->fake().requests().Entries()) {
    // kubectl's requests are the test's, not the driver's.
    if (entry.value("user_agent", "").rfind("kubectl", 0) == 0) continue;
    std::optional<ApiAccess> access = AccessOf(
        entry.value("method", ""), entry.value("path", ""),
        entry.value("query", "").find("watch=true") != std::string::npos);
    if (!access.has_value()) continue;
    EXPECT_TRUE(Allows(*policy, *access))
        << doc << " does not allow what the driver did: " << access->Describe()
        << " (" << entry.value("method", "") << " " << entry.value("path", "")
        << ")";
  }
}

v1::StartRequest KubeE2eTest::StartRequestFor(
    const std::string& network_arch, const std::string& service_type) const {
  v1::StartRequest request = ReferenceStartRequest(kPlatform, network_arch);
  if (!service_type.empty()) {
    request.mutable_kubernetes()->set_service_type(service_type);
  }
  return request;
}

RunOutput KubeE2eTest::Kubectl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {kKubectl, "--kubeconfig",
                                   cluster_->kubeconfig()};
  argv.insert(argv.end(), args.begin(), args.end());
  // kubectl's cache (discovery) in the test's own folder.
  absl::StatusOr<RunOutput> run =
      RunChild(argv, {{"HOME", server_.dir()}}, "", absl::Seconds(60));
  EXPECT_TRUE(run.ok()) << run.status();
  return run.value_or(RunOutput());
}

nlohmann::json KubeE2eTest::ManagedObjects(const std::string& kinds) {
  RunOutput out =
      Kubectl({"get", kinds, "-A", "-o", "json", "-l",
               absl::StrCat(platforms::kubernetes::kLabelManagedBy, "=",
                            platforms::kubernetes::kManagedByValue)});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  nlohmann::json list = nlohmann::json::parse(out.out, nullptr, false);
  if (!list.is_object()) {
    ADD_FAILURE() << "kubectl printed no JSON: " << out.out << out.err;
    return nlohmann::json::array();
  }
  return list.value("items", nlohmann::json::array());
}

}  // namespace tao::integration::kubernetes
