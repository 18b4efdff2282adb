// The kubernetes driver against the fake API server (tests/fakes/kubernetes)
// over HTTPS with its own CA and a bearer token, the way a kubeconfig
// reaches a real cluster. Pods are scripted through the fake's control
// API, standing in for the kubelet (and the cloud's load balancer).
#include "platforms/kubernetes/kubernetes_platform.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/kubernetes/object_names.h"
#include "tests/fakes/kubernetes/fake_kube_apiserver.h"
#include "tests/platforms/kubernetes/kube_test_cluster.h"
#include "tests/support/random_job_id.h"

namespace tao::platforms::kubernetes {
namespace {

using fakes::kubernetes::FakeKubeApiServer;
using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

using testing::kTestToken;
constexpr char kHfToken[] = "hf_k8s_canary_7d2e";
constexpr char kInstance[] = "inferd-k8s-test";

class KubernetesPlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeKubeApiServer::Options options;
    options.namespaces = {"default", "ml"};
    auto cluster = testing::KubeTestCluster::Start(std::move(options));
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    fake_ = &cluster_->fake();
    platform_ = MakePlatform();
  }

  void WriteKubeconfig(const std::string& token) {
    cluster_->WriteKubeconfig(token);
  }

  std::unique_ptr<KubernetesPlatform> MakePlatform() {
    KubernetesPlatform::Options options;
    options.credentials.kubeconfig = cluster_->kubeconfig();
    options.poll_min = absl::Milliseconds(20);
    options.poll_max = absl::Milliseconds(100);
    options.address_wait = absl::Seconds(5);
    auto platform = KubernetesPlatform::Create(std::move(options));
    EXPECT_TRUE(platform.ok()) << platform.status();
    return platform.ok() ? *std::move(platform) : nullptr;
  }

  LaunchSpec Spec() {
    LaunchSpec spec;
    spec.job_id = tests::RandomJobId();
    spec.network_arch = "cosmos-rl";
    spec.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
    spec.inner_command = [](int port) -> absl::StatusOr<std::string> {
      return absl::StrCat("exec serve --port ", port);
    };
    spec.env = {{"TAO_EXECUTION_BACKEND", "local-k8s"}};
    spec.secret_env = {{"HF_TOKEN", kHfToken}};
    spec.server_instance = kInstance;
    // Generous: the suite runs beside Docker-heavy tests on 2 cores.
    spec.deadline = absl::Now() + absl::Seconds(60);
    return spec;
  }

  // Plays the kubelet (and the load balancer) for the Job of `spec`: once
  // its pod exists, it gets `script`, and the Service an address.
  std::thread Kubelet(const LaunchSpec& spec, json script,
                      const std::string& ns = "default") {
    const std::string name = *ObjectName(spec.job_id);
    return std::thread([this, name, ns, script] {
      const absl::Time give_up = absl::Now() + absl::Seconds(50);
      while (absl::Now() < give_up) {
        absl::StatusOr<std::string> pod = fake_->cluster().JobPodName(ns, name);
        if (pod.ok()) {
          absl::Status scripted = fake_->cluster().ScriptPod(ns, *pod, script);
          EXPECT_TRUE(scripted.ok()) << scripted;
          // The Service may come a moment after the pod.
          while (absl::Now() < give_up &&
                 !fake_->cluster()
                      .SetLoadBalancerIngress(ns, name, {{"ip", "10.0.0.7"}})
                      .ok()) {
            absl::SleepFor(absl::Milliseconds(10));
          }
          return;
        }
        absl::SleepFor(absl::Milliseconds(10));
      }
    });
  }

  absl::StatusOr<Placement> LaunchRunning(const LaunchSpec& spec) {
    std::thread kubelet =
        Kubelet(spec, {{"phase", "Running"}, {"logs", "loading\nready\n"}});
    absl::StatusOr<Placement> placement = platform_->Launch(spec, nullptr);
    kubelet.join();
    return placement;
  }

  int StatusOf(const std::string& path) { return cluster_->StatusOf(path); }
  KubeCredentials Credentials() { return cluster_->Credentials(); }

  std::unique_ptr<testing::KubeTestCluster> cluster_;
  FakeKubeApiServer* fake_ = nullptr;
  std::unique_ptr<KubernetesPlatform> platform_;
};

TEST_F(KubernetesPlatformTest,
       LaunchMakesSecretJobAndServiceAndUsesTheAddress) {
  const LaunchSpec spec = Spec();
  std::optional<Placement> reported;
  std::thread kubelet = Kubelet(spec, {{"phase", "Running"}});
  absl::StatusOr<Placement> placement =
      platform_->Launch(spec, [&](const ProgressEvent& event) {
        if (event.placement.has_value()) reported = event.placement;
      });
  kubelet.join();
  ASSERT_TRUE(placement.ok()) << placement.status();
  const std::string name = *ObjectName(spec.job_id);
  EXPECT_EQ(placement->host_url, "http://10.0.0.7:8080");
  EXPECT_EQ(placement->platform_job_id, name);
  EXPECT_EQ(placement->namespace_, "default");
  ASSERT_TRUE(reported.has_value());
  EXPECT_EQ(reported->platform_job_id, name);

  KubeApi api(Credentials());
  absl::StatusOr<json> job =
      api.Get("/apis/batch/v1/namespaces/default/jobs/" + name);
  ASSERT_TRUE(job.ok()) << job.status();
  EXPECT_EQ((*job)["spec"]["backoffLimit"], 0);
  const json& container = (*job)["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(container["command"][0], "/bin/bash");
  EXPECT_EQ(container["command"][2], "exec serve --port 8080");
  EXPECT_EQ(container["envFrom"][0]["secretRef"]["name"], name);
  EXPECT_EQ(StatusOf("/api/v1/namespaces/default/secrets/" + name), 200);
  EXPECT_EQ(StatusOf("/api/v1/namespaces/default/services/" + name), 200);

  // The HF_TOKEN went in the Secret's body only; the token in headers only.
  for (const json& entry : fake_->requests().Entries()) {
    const std::string body = entry.value("body", "");
    if (entry["path"] != "/api/v1/namespaces/default/secrets") {
      EXPECT_THAT(body, Not(HasSubstr(kHfToken))) << entry.dump();
    }
    EXPECT_THAT(entry.dump(), Not(HasSubstr(kTestToken)));
    EXPECT_EQ(entry["authorization"], true) << entry.dump();
  }
}

TEST_F(KubernetesPlatformTest, InspectAndLogsFollowThePod) {
  const LaunchSpec spec = Spec();
  absl::StatusOr<Placement> placement = LaunchRunning(spec);
  ASSERT_TRUE(placement.ok()) << placement.status();
  absl::StatusOr<RuntimeState> state = platform_->Inspect(*placement);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->phase, RuntimeState::Phase::kRunning);
  absl::StatusOr<std::string> logs = platform_->Logs(*placement, 10);
  ASSERT_TRUE(logs.ok()) << logs.status();
  EXPECT_THAT(*logs, HasSubstr("ready"));

  const std::string name = *ObjectName(spec.job_id);
  absl::StatusOr<std::string> pod =
      fake_->cluster().JobPodName("default", name);
  ASSERT_TRUE(pod.ok());
  ASSERT_TRUE(
      fake_->cluster()
          .ScriptPod("default", *pod,
                     {{"phase", "Failed"},
                      {"terminated", {{"exitCode", 3}, {"reason", "Error"}}}})
          .ok());
  state = platform_->Inspect(*placement);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->phase, RuntimeState::Phase::kExited);
  EXPECT_TRUE(state->has_exit_code);
  EXPECT_EQ(state->exit_code, 3);
}

TEST_F(KubernetesPlatformTest, AnImageThatCannotBePulledFailsAndLeavesNothing) {
  const LaunchSpec spec = Spec();
  std::thread kubelet =
      Kubelet(spec, {{"phase", "Pending"},
                     {"waiting",
                      {{"reason", "ImagePullBackOff"},
                       {"message", "Back-off pulling image"}}}});
  absl::StatusOr<Placement> placement = platform_->Launch(spec, nullptr);
  kubelet.join();
  EXPECT_TRUE(absl::IsFailedPrecondition(placement.status()))
      << placement.status();
  EXPECT_THAT(placement.status().message(), HasSubstr(spec.image));
  EXPECT_THAT(placement.status().message(), HasSubstr("ImagePullBackOff"));
  const std::string name = *ObjectName(spec.job_id);
  EXPECT_EQ(StatusOf("/apis/batch/v1/namespaces/default/jobs/" + name), 404);
  EXPECT_EQ(StatusOf("/api/v1/namespaces/default/services/" + name), 404);
  EXPECT_EQ(StatusOf("/api/v1/namespaces/default/secrets/" + name), 404);
}

TEST_F(KubernetesPlatformTest, TerminateDeletesEverythingWithAPolicy) {
  const LaunchSpec spec = Spec();
  absl::StatusOr<Placement> placement = LaunchRunning(spec);
  ASSERT_TRUE(placement.ok()) << placement.status();
  fake_->requests().Clear();
  ASSERT_TRUE(platform_->Terminate(*placement).ok());
  for (const json& entry : fake_->requests().Entries()) {
    if (entry["method"] != "DELETE") continue;
    EXPECT_THAT(entry.value("body", ""), HasSubstr("\"propagationPolicy\""))
        << entry.dump();
  }
  const std::string name = *ObjectName(spec.job_id);
  EXPECT_EQ(StatusOf("/apis/batch/v1/namespaces/default/jobs/" + name), 404);
  EXPECT_EQ(StatusOf("/api/v1/namespaces/default/services/" + name), 404);
  EXPECT_EQ(StatusOf("/api/v1/namespaces/default/secrets/" + name), 404);
  absl::StatusOr<RuntimeState> state = platform_->Inspect(*placement);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->phase, RuntimeState::Phase::kMissing);
  EXPECT_TRUE(platform_->Terminate(*placement).ok()) << "a second Terminate";
}

TEST_F(KubernetesPlatformTest, ListOwnedFindsThisServersJobs) {
  const LaunchSpec ours = Spec();
  absl::StatusOr<Placement> launched = LaunchRunning(ours);
  ASSERT_TRUE(launched.ok()) << launched.status();
  LaunchSpec theirs = Spec();
  theirs.server_instance = "another-server";
  launched = LaunchRunning(theirs);
  ASSERT_TRUE(launched.ok()) << launched.status();
  absl::StatusOr<std::vector<OwnedWorkload>> owned =
      platform_->ListOwned(kInstance);
  ASSERT_TRUE(owned.ok()) << owned.status();
  ASSERT_EQ(owned->size(), 1u);
  EXPECT_EQ((*owned)[0].job_id, ours.job_id);
  EXPECT_EQ((*owned)[0].network_arch, "cosmos-rl");
  EXPECT_EQ((*owned)[0].placement.platform_job_id, *ObjectName(ours.job_id));
  EXPECT_EQ((*owned)[0].placement.namespace_, "default");
}

TEST_F(KubernetesPlatformTest, ARetriedCreateOfItsOwnJobIsNotAConflict) {
  const LaunchSpec spec = Spec();
  // A create whose answer was lost: the Job is there already.
  WorkloadInputs in;
  in.name = *ObjectName(spec.job_id);
  in.namespace_ = "default";
  in.job_id = spec.job_id;
  in.network_arch = spec.network_arch;
  in.server_instance = kInstance;
  in.image = spec.image;
  in.inner_command = "exec serve --port 8080";
  KubeApi api(Credentials());
  ASSERT_TRUE(
      api.Create("/apis/batch/v1/namespaces/default/jobs", JobManifest(in))
          .ok());
  absl::StatusOr<Placement> placement = LaunchRunning(spec);
  EXPECT_TRUE(placement.ok()) << placement.status();
}

TEST_F(KubernetesPlatformTest, AWrongTokenNamesTheContextAndUser) {
  WriteKubeconfig("tok-wrong-canary-1234");
  std::unique_ptr<KubernetesPlatform> platform = MakePlatform();
  absl::StatusOr<Placement> placement = platform->Launch(Spec(), nullptr);
  EXPECT_TRUE(absl::IsUnauthenticated(placement.status()))
      << placement.status();
  EXPECT_THAT(placement.status().message(), HasSubstr("\"lab\""));
  EXPECT_THAT(placement.status().message(), HasSubstr("\"driver\""));
  EXPECT_THAT(placement.status().message(),
              Not(HasSubstr("tok-wrong-canary-1234")));
}

TEST_F(KubernetesPlatformTest, AMissingNamespaceIsNamed) {
  LaunchSpec spec = Spec();
  spec.options["namespace"] = "nope";
  absl::StatusOr<Placement> placement = platform_->Launch(spec, nullptr);
  EXPECT_TRUE(absl::IsNotFound(placement.status())) << placement.status();
  EXPECT_THAT(placement.status().message(), HasSubstr("nope"));
}

TEST_F(KubernetesPlatformTest, OptionsAreChecked) {
  EXPECT_TRUE(platform_->ValidateOptions({{"namespace", "ml"}}).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(
      platform_->ValidateOptions({{"namespace", "Not_A_Namespace"}})));
  EXPECT_TRUE(absl::IsInvalidArgument(
      platform_->ValidateOptions({{"service_type", "ExternalName"}})));
  EXPECT_TRUE(platform_->ValidateOptions({{"service_type", "ClusterIP"}}).ok());
  absl::Status external =
      platform_->ValidateOptions({{"service_type", "ExternalName"}});
  EXPECT_THAT(external.message(), HasSubstr("kubernetes.service_type"));
  // Only ClusterIP binds a port of this host (its forward).
  LaunchSpec spec = Spec();
  EXPECT_EQ(platform_->HostPortScope(spec), "");
  spec.options["service_type"] = "ClusterIP";
  EXPECT_EQ(platform_->HostPortScope(spec), kThisHostPortScope);
  EXPECT_TRUE(absl::IsInvalidArgument(
      platform_->ValidateOptions({{"partition", "debug"}})));
}

TEST_F(KubernetesPlatformTest, NoKubeconfigFailsEachCallClearly) {
  KubernetesPlatform::Options options;
  options.credentials.kubeconfig =
      cluster_->kubeconfig() + "-missing-kubeconfig";
  auto platform = KubernetesPlatform::Create(std::move(options));
  ASSERT_TRUE(platform.ok()) << platform.status();  // the server still starts
  absl::StatusOr<RuntimeState> state = (*platform)->Inspect(Placement());
  absl::StatusOr<Placement> placement = (*platform)->Launch(Spec(), nullptr);
  EXPECT_TRUE(absl::IsFailedPrecondition(placement.status()))
      << placement.status();
  EXPECT_THAT(placement.status().message(), HasSubstr("missing-kubeconfig"));
}

}  // namespace
}  // namespace tao::platforms::kubernetes
