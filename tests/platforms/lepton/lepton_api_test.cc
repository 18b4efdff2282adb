// LeptonApi against the in-process fake Lepton workspace without a Docker
// engine (its engine address leads nowhere, so deployments are accepted
// but never get a container): the preflight, the token, the error
// mapping on real answers, and create/get/delete of a DeploymentBody.
#include "platforms/lepton/lepton_api.h"

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/lepton/deployment_names.h"
#include "platforms/lepton/deployment_spec.h"
#include "platforms/lepton/deployment_status.h"
#include "tests/fakes/lepton/fake_controls.h"
#include "tests/fakes/lepton/fake_lepton_server.h"

namespace tao::platforms::lepton {
namespace {

using fakes::lepton::FakeLeptonServer;
using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "workspace-SECRET-token-5d1e";
constexpr char kJobId[] = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

class LeptonApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeLeptonServer::Options options;
    options.workspace = "ws1";
    options.token = kToken;
    options.docker_host = "unix:///nonexistent/lepton-api-test/docker.sock";
    options.retry_interval = absl::Milliseconds(100);
    options.delete_delay = absl::Milliseconds(100);
    auto server = FakeLeptonServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    env_ = {{"LEPTON_WORKSPACE_ID", "ws1"},
            {"LEPTON_AUTH_TOKEN", kToken},
            {"LEPTON_WORKSPACE_URL", server_->url()}};
  }

  // A client with the settings of env_.
  std::unique_ptr<LeptonApi> Api() {
    absl::StatusOr<LeptonSettings> settings = LeptonSettingsFromEnvironment(
        [this](absl::string_view name) -> std::optional<std::string> {
          auto it = env_.find(std::string(name));
          if (it == env_.end()) return std::nullopt;
          return it->second;
        });
    EXPECT_TRUE(settings.ok()) << settings.status();
    if (!settings.ok()) return nullptr;
    return std::make_unique<LeptonApi>(*std::move(settings));
  }

  static DeploymentInputs Inputs() {
    DeploymentInputs in;
    in.name = *DeploymentName(kJobId);
    in.job_id = kJobId;
    in.server_instance = "test-host";
    in.image = "tao-reference-backend:test";
    in.inner_command = "sleep 600";
    in.resource_shape = "gpu.1xh100-sxm";
    in.node_group_ids = {"fake-node-group"};
    in.shared_memory_mib = 256;
    in.env = {{"TAO_API_JOB_ID", kJobId}};
    in.api_token = "endpoint-token-0123456789abcdef0123";
    return in;
  }

  // Header names of the last request the fake got.
  json LastHeaders() {
    json entries = server_->requests().Entries();
    return entries.empty() ? json::array() : entries.back()["headers"];
  }

  std::unique_ptr<FakeLeptonServer> server_;
  std::map<std::string, std::string> env_;
};

TEST_F(LeptonApiTest, PreflightSendsTheTokenAndTheOriginWhenSet) {
  std::unique_ptr<LeptonApi> api = Api();
  ASSERT_NE(api, nullptr);
  absl::StatusOr<json> info = api->Preflight();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ((*info)["workspace_name"], "ws1");
  EXPECT_THAT(LastHeaders(), Contains("Authorization"));
  EXPECT_THAT(LastHeaders(), Not(Contains("origin")));

  env_["LEPTON_WORKSPACE_ORIGIN_URL"] =
      "https://gateway.dgxc-lepton.nvidia.com";
  api = Api();
  ASSERT_NE(api, nullptr);
  ASSERT_TRUE(api->Preflight().ok());
  EXPECT_THAT(LastHeaders(), Contains("origin"));
}

TEST_F(LeptonApiTest, AWrongTokenIsUnauthenticatedWithoutTheToken) {
  env_["LEPTON_AUTH_TOKEN"] = "wrong-SECRET-token-9f";
  std::unique_ptr<LeptonApi> api = Api();
  ASSERT_NE(api, nullptr);
  absl::StatusOr<json> info = api->Preflight();
  ASSERT_EQ(info.status().code(), absl::StatusCode::kUnauthenticated)
      << info.status();
  const std::string message(info.status().message());
  EXPECT_THAT(message, HasSubstr("wrong or expired"));
  EXPECT_THAT(message, HasSubstr("LEPTON_AUTH_TOKEN"));
  EXPECT_THAT(message, HasSubstr(server_->url()));
  EXPECT_THAT(message, Not(HasSubstr("SECRET")));
}

TEST_F(LeptonApiTest, TheNewDeploymentApiOrAPausedWorkspaceFailsPreflight) {
  std::unique_ptr<LeptonApi> api = Api();
  ASSERT_NE(api, nullptr);
  server_->workspace().SetNewDeploymentApi(false);
  EXPECT_TRUE(api->Preflight().ok());

  server_->workspace().SetNewDeploymentApi(true);
  absl::StatusOr<json> info = api->Preflight();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(info.status().message(), HasSubstr("enable_new_deployment_api"));

  server_->workspace().SetNewDeploymentApi(std::nullopt);
  server_->workspace().SetPaused(true);
  info = api->Preflight();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(info.status().message(), HasSubstr("paused"));
  // Writes to it are refused the same way.
  absl::StatusOr<json> body = DeploymentBody(Inputs());
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(api->Post("/deployments", *body).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(LeptonApiTest, CreateGetAndDeleteADeployment) {
  std::unique_ptr<LeptonApi> api = Api();
  ASSERT_NE(api, nullptr);
  const DeploymentInputs in = Inputs();
  absl::StatusOr<json> body = DeploymentBody(in);
  ASSERT_TRUE(body.ok()) << body.status();

  absl::StatusOr<json> created = api->Post("/deployments", *body);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ((*created)["metadata"]["name"], in.name);
  EXPECT_EQ(server_->requests().Entries().back()["body"], body->dump());

  const std::string path = absl::StrCat("/deployments/", in.name);
  absl::StatusOr<json> got = api->Get(path);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ((*got)["spec"]["container"]["command"][2], "sleep 600");
  EXPECT_EQ((*got)["spec"]["resource_requirement"]["shared_memory_size"], 256);
  // No engine: the replica never starts.
  EXPECT_EQ(DeploymentState(*got, json(), json()).phase,
            RuntimeState::Phase::kPending);

  absl::StatusOr<json> again = api->Post("/deployments", *body);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("already exists"));

  ASSERT_TRUE(api->Delete(path).ok());
  absl::StatusOr<json> gone = api->Get(path);
  for (int i = 0; i < 100 && gone.ok(); ++i) {  // Deleting, then gone
    EXPECT_EQ(DeploymentState(*gone, json(), json()).phase,
              RuntimeState::Phase::kMissing);
    absl::SleepFor(absl::Milliseconds(50));
    gone = api->Get(path);
  }
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(gone.status().message(),
              HasSubstr(absl::StrCat("deployment ", in.name, " not found")));
  EXPECT_EQ(api->Delete(path).code(), absl::StatusCode::kNotFound);
}

TEST_F(LeptonApiTest, AnUnknownShapeIsInvalidWithTheFakesMessage) {
  std::unique_ptr<LeptonApi> api = Api();
  ASSERT_NE(api, nullptr);
  DeploymentInputs in = Inputs();
  in.resource_shape = "gpu.64xbogus";
  absl::StatusOr<json> body = DeploymentBody(in);
  ASSERT_TRUE(body.ok());
  absl::StatusOr<json> created = api->Post("/deployments", *body);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(created.status().message(), HasSubstr("gpu.64xbogus"));
  EXPECT_THAT(created.status().message(), HasSubstr("gpu.1xh100-sxm"));
}

TEST_F(LeptonApiTest, AServerErrorIsUnavailable) {
  std::unique_ptr<LeptonApi> api = Api();
  ASSERT_NE(api, nullptr);
  absl::StatusOr<fakes::Fault> fault =
      fakes::lepton::FaultFromJson({{"path", "/workspace"},
                                    {"status", 500},
                                    {"message", "injected failure"}});
  ASSERT_TRUE(fault.ok()) << fault.status();
  server_->faults().Add(*std::move(fault));
  absl::StatusOr<json> info = api->Preflight();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(info.status().message(), HasSubstr("500"));
  EXPECT_TRUE(api->Preflight().ok());  // the fault was for one request
}

TEST_F(LeptonApiTest, AnUnreachableWorkspaceIsUnavailableNamingItsUrl) {
  const std::string url = server_->url();
  server_.reset();  // nothing listens there now
  std::unique_ptr<LeptonApi> api = Api();
  ASSERT_NE(api, nullptr);
  absl::StatusOr<json> info = api->Preflight();
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnavailable)
      << info.status();
  EXPECT_THAT(info.status().message(), HasSubstr(url));
  EXPECT_THAT(info.status().message(), Not(HasSubstr(kToken)));
}

}  // namespace
}  // namespace tao::platforms::lepton
