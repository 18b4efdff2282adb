// kubernetes end to end, what goes wrong: an image that cannot be pulled, a
// container that exits while loading, a namespace that does not exist, an
// API server that is gone, credentials that expire or rotate, client
// certificates instead of a token, and tao-inferd killed in the middle of
// a launch.
#include <fstream>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/kubernetes/object_names.h"
#include "tests/integration/kubernetes/kube_e2e_fixture.h"
#include "tests/integration/launch_kill.h"

namespace tao::integration::kubernetes {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using KubeFailureTest = KubeE2eTest;
// kubectl's own token (the test kubeconfig), kept valid throughout.
constexpr const char* kKubectlToken =
    platforms::kubernetes::testing::kTestToken;

std::set<std::string> JobIdsOf(const nlohmann::json& jobs) {
  std::set<std::string> ids;
  for (const nlohmann::json& job : jobs) {
    ids.insert(job["metadata"]["labels"].value(
        platforms::kubernetes::kLabelJobId, ""));
  }
  return ids;
}

TEST_F(KubeFailureTest, AnImageThatCannotBePulledFailsNamingItLeavingNothing) {
  const std::string image = "tao-no-such-registry.invalid/none/model:1";
  v1::StartRequest request = StartRequestFor("cosmos-rl");
  request.set_image(image);
  v1::StartResponse response;
  grpc::Status status = calls_.Start(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(image));
  EXPECT_THAT(status.error_message(), HasSubstr("Err"))  // ErrImagePull, ...
      << "the kubelet's reason";
  EXPECT_THAT(ManagedObjects(), IsEmpty());
}

TEST_F(KubeFailureTest, AContainerExitingWhileLoadingFailsWithItsExitCode) {
  v1::StartRequest request = StartRequestFor("cosmos-rl");
  request.set_model_path(
      "/models/crashy+load-ms-3000+print-env+exit-during-load-3");
  v1::StartResponse started;
  grpc::Status status = calls_.Start(request, &started);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  WaitResult waited = calls_.Wait(started.service().job_id());
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED) << server_.Log();
  const v1::WaitReadyEvent& last = waited.events.back();
  const std::string text = last.reason() + " " + last.message();
  EXPECT_THAT(text, HasSubstr("exit code 3"));
  // The pod's log tail: the names of its environment variables (HF_TOKEN
  // among them, from the Secret), never a value.
  EXPECT_THAT(text, HasSubstr("HF_TOKEN"));
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(started.service().job_id(), &stopped).ok());
  EXPECT_THAT(ManagedObjects(), IsEmpty());
}

TEST_F(KubeFailureTest, AMissingNamespaceIsNamed) {
  v1::StartRequest request = StartRequestFor("cosmos-rl");
  request.mutable_kubernetes()->set_namespace_("no-such-namespace");
  v1::StartResponse response;
  grpc::Status status = calls_.Start(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("no-such-namespace"));
  EXPECT_THAT(ManagedObjects(), IsEmpty());
}

TEST_F(KubeFailureTest, AnAPIServerThatIsGoneIsUnavailableNamingItsURL) {
  const std::string url = cluster_->url();
  cluster_.reset();
  v1::StartResponse response;
  grpc::Status status = calls_.Start(StartRequestFor("cosmos-rl"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(url));
  RunOutput cli = calls_.Cli({"start", "--platform", "kubernetes",
                              "--network-arch", "cosmos-rl", "--model-path",
                              "hf_model://nvidia/Cosmos-Reason1-7B"});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_THAT(cli.err, HasSubstr(url));
}

// A kubeconfig whose user reads its token from a file (a projected
// service-account token rotates that way).
class KubeTokenFileTest : public KubeE2eTest {
 protected:
  void AdjustServerConfig(ServerConfig& config) override {
    std::ofstream(cluster_->File("token")) << "tok-first-canary-41c9\n";
    ASSERT_TRUE(
        cluster_->AcceptTokens({kKubectlToken, "tok-first-canary-41c9"}).ok());
    config.env["KUBECONFIG"] = cluster_->WriteKubeconfigAs(
        "token-file-kubeconfig", {"", "token", false});
  }
  void TearDown() override {
    for (const char* token :
         {"tok-first-canary-41c9", "tok-second-canary-93d0"}) {
      calls_.ExpectNowhere(token, "API token");
    }
    KubeE2eTest::TearDown();
  }
};

TEST_F(KubeTokenFileTest, ARotatedTokenIsUsedAndAnExpiredOneIsNamed) {
  const v1::Service first = calls_.StartReady(StartRequestFor("cosmos-rl"));
  ASSERT_FALSE(HasFailure());

  // Rotation: the file gets a new token, the old one stops working.
  std::ofstream(cluster_->File("token")) << "tok-second-canary-93d0\n";
  ASSERT_TRUE(
      cluster_->AcceptTokens({kKubectlToken, "tok-second-canary-93d0"}).ok());
  v1::StopResponse stopped;
  grpc::Status status = calls_.Stop(first.job_id(), &stopped);
  EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  EXPECT_THAT(ManagedObjects(), IsEmpty());

  // Expiry: the file's token is refused; the error names the context and
  // user, never the token.
  ASSERT_TRUE(cluster_->AcceptTokens({kKubectlToken, "tok-third-unused"}).ok());
  v1::StartResponse response;
  status = calls_.Start(StartRequestFor("cosmos-rl"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("\"lab\""));
  EXPECT_THAT(status.error_message(), HasSubstr("\"driver\""));
}

// A kubeconfig with a client certificate and key, no token.
class KubeClientCertTest : public KubeE2eTest {
 protected:
  void AdjustServerConfig(ServerConfig& config) override {
    config.env["KUBECONFIG"] =
        cluster_->WriteKubeconfigAs("cert-kubeconfig", {"", "", true});
  }
};

TEST_F(KubeClientCertTest, StartsInfersAndStops) {
  const v1::Service service = calls_.StartReady(StartRequestFor("cosmos-rl"));
  ASSERT_FALSE(HasFailure());
  v1::InferRequest request = E2eCalls::ChatRequest("hello", true);
  request.set_job_id(service.job_id());
  v1::InferResponse answer;
  EXPECT_TRUE(calls_.Infer(request, &answer).ok());
  for (const nlohmann::json& entry : cluster_->fake().requests().Entries()) {
    EXPECT_EQ(entry["authorization"], false)
        << "a token was sent: " << entry.dump();
  }
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(service.job_id(), &stopped).ok());
  EXPECT_THAT(ManagedObjects(), IsEmpty());
}

TEST_F(KubeFailureTest, KilledBeforeSubmitLeavesNoEntryAndNoObject) {
  absl::StatusOr<std::string> job_id = KillServerDuringLaunch(
      server_, config_, StartRequestFor("cosmos-rl"), "before-submit");
  ASSERT_TRUE(job_id.ok()) << job_id.status() << "\n" << server_.Log();
  calls_.Reconnect();
  EXPECT_FALSE(server_.ReadState().contains(*job_id)) << server_.Log();
  EXPECT_THAT(ManagedObjects(), IsEmpty());
}

TEST_F(KubeFailureTest, KilledAfterTheJobWasCreatedFinishesTheLaunch) {
  absl::StatusOr<std::string> job_id = KillServerDuringLaunch(
      server_, config_, StartRequestFor("cosmos-rl"), "after-submit");
  ASSERT_TRUE(job_id.ok()) << job_id.status() << "\n" << server_.Log();
  calls_.Reconnect();
  // The Job existed, its Service not yet: the restart adopted the Job and
  // made the Service.
  EXPECT_THAT(server_.Log(), HasSubstr("adopted the workload"));
  EXPECT_EQ(EntriesClaimingAWorkload(server_.ReadState()),
            JobIdsOf(ManagedObjects("jobs")));
  WaitResult waited = calls_.Wait(*job_id);
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_READY) << server_.Log();
  v1::InferRequest request = E2eCalls::ChatRequest("hello", true);
  request.set_job_id(*job_id);
  v1::InferResponse answer;
  grpc::Status inferred = calls_.Infer(request, &answer);
  EXPECT_TRUE(inferred.ok()) << inferred.error_message();
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(*job_id, &stopped).ok());
  EXPECT_THAT(ManagedObjects(), IsEmpty());
}

}  // namespace
}  // namespace tao::integration::kubernetes
