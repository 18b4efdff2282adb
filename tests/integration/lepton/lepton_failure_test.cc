// lepton end to end, what goes wrong: a wrong workspace token, a resource
// shape the workspace does not offer, an image that cannot be pulled, a
// container that exits while loading, a deployment deleted behind the
// server's back, and tao-inferd killed in the middle of a launch. Each
// leaves no deployment and no user secret in the workspace.
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/lepton/deployment_names.h"
#include "tests/integration/launch_kill.h"
#include "tests/integration/lepton/lepton_e2e_fixture.h"

namespace tao::integration::lepton {
namespace {

using json = nlohmann::json;
using ::testing::AnyOf;
using ::testing::ContainsRegex;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using LeptonFailureTest = LeptonE2eTest;

constexpr int kServerError = 1;
constexpr int kUsage = 2;
constexpr int kFailed = 4;

std::string NameOf(const std::string& job_id) {
  return platforms::lepton::DeploymentName(job_id).value_or("?");
}

// True when the fake saw a POST /deployments whose body holds `text`.
bool CreateWasSent(const json& requests, const std::string& text) {
  for (const json& entry : requests) {
    const std::string path = entry.value("path", "");
    if (entry.value("method", "") == "POST" && path.size() >= 12 &&
        path.substr(path.size() - 12) == "/deployments" &&
        entry.value("body", "").find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// The server's LEPTON_WORKSPACE_TOKEN is one the workspace does not take
// (TearDown checks that it shows nowhere, as it does for the right one).
class LeptonWrongTokenTest : public LeptonE2eTest {
 protected:
  void AdjustServerConfig(ServerConfig& config) override {
    config.env["LEPTON_WORKSPACE_TOKEN"] = Canary("lepton-token");
  }
};

TEST_F(LeptonWrongTokenTest, StartIsUnauthenticatedNamingTheVariable) {
  v1::StartResponse response;
  grpc::Status status = calls_.Start(StartRequestFor("cosmos-rl"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("LEPTON_WORKSPACE_TOKEN"));
  RunOutput cli = calls_.Cli({"start", "--platform", "lepton", "--network-arch",
                              "cosmos-rl", "--model-path",
                              "hf_model://nvidia/Cosmos-Reason1-7B"});
  EXPECT_EQ(cli.exit_code, kServerError) << cli.out << cli.err;
  EXPECT_THAT(cli.err, HasSubstr("LEPTON_WORKSPACE_TOKEN"));
  EXPECT_THAT(EntriesClaimingAWorkload(server_.ReadState()), IsEmpty());
  ExpectWorkspaceEmpty();
}

TEST_F(LeptonFailureTest, AnUnknownResourceShapeIsRefusedNamingIt) {
  v1::StartRequest request = StartRequestFor("cosmos-rl");
  request.mutable_lepton()->set_resource_shape("gpu.99xnothing");
  v1::StartResponse response;
  grpc::Status status = calls_.Start(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("gpu.99xnothing"));
  // The workspace refused it (not the server's own check), after the
  // launch had made the deployment's secrets: they were removed.
  EXPECT_TRUE(CreateWasSent(fake().requests().Entries(), "gpu.99xnothing"));
  ExpectWorkspaceEmpty();

  RunOutput cli = calls_.Cli({"start", "--platform", "lepton", "--network-arch",
                              "cosmos-rl", "--model-path",
                              "hf_model://nvidia/Cosmos-Reason1-7B", "--option",
                              "resource_shape=gpu.98xnothing"});
  EXPECT_EQ(cli.exit_code, kUsage) << cli.out << cli.err;
  EXPECT_THAT(cli.err, HasSubstr("gpu.98xnothing"));
  EXPECT_THAT(EntriesClaimingAWorkload(server_.ReadState()), IsEmpty());
  ExpectWorkspaceEmpty();
}

TEST_F(LeptonFailureTest, AnImageThatCannotBePulledFailsInLeptonsWords) {
  const std::string image = "nvcr.io/nvidia/tao/does-not-exist:0";
  v1::StartRequest request = StartRequestFor("cosmos-rl");
  request.set_image(image);
  v1::StartResponse response;
  grpc::Status status = calls_.Start(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("Failed to pull image"));
  ExpectWorkspaceEmpty();

  // Through the CLI's wait: the launch's failure ends it.
  RunOutput cli = calls_.Cli({"start", "--platform", "lepton", "--network-arch",
                              "cosmos-rl", "--model-path",
                              "hf_model://nvidia/Cosmos-Reason1-7B", "--image",
                              image, "--wait", "--timeout", "120"});
  EXPECT_EQ(cli.exit_code, kFailed) << cli.out << cli.err;
  EXPECT_THAT(cli.out + cli.err, HasSubstr("Failed to pull image"));
  EXPECT_THAT(EntriesClaimingAWorkload(server_.ReadState()), IsEmpty());
  ExpectWorkspaceEmpty();
}

TEST_F(LeptonFailureTest, AContainerExitingWhileLoadingFailsWithItsExitCode) {
  v1::StartRequest request = StartRequestFor("cosmos-rl");
  request.set_model_path("/models/crashy+load-ms-1500+exit-during-load-3");
  request.set_return_on_accept(true);
  v1::StartResponse started;
  grpc::Status status = calls_.Start(request, &started);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  const std::string job_id = started.service().job_id();
  WaitResult waited = calls_.Wait(job_id);
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED) << server_.Log();
  const v1::WaitReadyEvent& last = waited.events.back();
  // Lepton's Ready only means the port answered, so the exit shows either
  // in the launch ("exited with code 3") or after it ("exit code 3").
  EXPECT_THAT(last.reason() + " " + last.message(),
              ContainsRegex("exit(ed with)? code 3"));
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(job_id, &stopped).ok()) << server_.Log();
  ExpectWorkspaceEmpty();
}

TEST_F(LeptonFailureTest, ADeploymentDeletedBehindTheServersBackIsReported) {
  const v1::Service service = calls_.StartReady(StartRequestFor("cosmos-rl"));
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(DeleteDeploymentBehindTheServersBack(NameOf(service.job_id())),
            200);

  WaitResult waited = calls_.Wait(service.job_id());
  EXPECT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED) << server_.Log();
  RunOutput listed = calls_.Cli({"list", "--refresh", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const json list = StdoutJson(listed);
  ASSERT_EQ(list["services"].size(), 1u) << listed.out;
  EXPECT_THAT(list["services"][0].value("state", ""),
              AnyOf(Eq("SERVICE_STATE_STOPPED"), Eq("SERVICE_STATE_FAILED")))
      << listed.out;

  // Lepton keeps the deployment's secrets; Stop removes them.
  EXPECT_THAT(SecretNames(), Not(IsEmpty()));
  v1::StopResponse stopped;
  grpc::Status status = calls_.Stop(service.job_id(), &stopped);
  EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  ExpectWorkspaceEmpty();
}

TEST_F(LeptonFailureTest, KilledBeforeSubmitLeavesNoEntryAndNothingInLepton) {
  absl::StatusOr<std::string> job_id = KillServerDuringLaunch(
      server_, config_, StartRequestFor("cosmos-rl"), "before-submit");
  ASSERT_TRUE(job_id.ok()) << job_id.status() << "\n" << server_.Log();
  calls_.Reconnect();
  EXPECT_FALSE(server_.ReadState().contains(*job_id)) << server_.Log();
  ExpectWorkspaceEmpty();
}

TEST_F(LeptonFailureTest, KilledAfterSubmitTheRestartAdoptsTheDeployment) {
  absl::StatusOr<std::string> job_id = KillServerDuringLaunch(
      server_, config_, StartRequestFor("cosmos-rl"), "after-submit");
  ASSERT_TRUE(job_id.ok()) << job_id.status() << "\n" << server_.Log();
  calls_.Reconnect();
  EXPECT_EQ(EntriesClaimingAWorkload(server_.ReadState()),
            std::set<std::string>({*job_id}));
  EXPECT_THAT(DeploymentNames(), ElementsAre(NameOf(*job_id)));

  WaitResult waited = calls_.Wait(*job_id);
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_READY) << server_.Log();
  // The new process reads the endpoint's token back from the deployment.
  v1::InferRequest request = E2eCalls::ChatRequest("hello", true);
  request.set_job_id(*job_id);
  v1::InferResponse answer;
  grpc::Status inferred = calls_.Infer(request, &answer);
  EXPECT_TRUE(inferred.ok()) << inferred.error_message() << "\n"
                             << server_.Log();
  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(*job_id, &stopped).ok()) << server_.Log();
  ExpectWorkspaceEmpty();
}

}  // namespace
}  // namespace tao::integration::lepton
