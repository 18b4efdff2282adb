// The lepton driver against the fake workspace with deployments on the REAL
// Docker engine: what the conformance suite does not check. The endpoint's
// token, secrets only in Lepton's secret store, the shared nvcr.io pull
// secret, shapes and node groups, a bad workspace token, crash records, a
// deployment deleted behind the driver's back and a launch cut short.
// Skipped without an engine unless TAO_REQUIRE_DOCKER=1.
#include "platforms/lepton/lepton_platform.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "platforms/lepton/deployment_names.h"
#include "tests/platforms/lepton/lepton_test_workspace.h"
#include "tests/platforms/local_docker/docker_test_env.h"

namespace tao::platforms::lepton {
namespace {

namespace docker_testing = local_docker::testing;
using fakes::lepton::FakeLeptonServer;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using Phase = RuntimeState::Phase;

constexpr char kHfCanary[] = "hf_LEPTON_CANARY_7c1d93";
constexpr char kNgcCanary[] = "nvapi-LEPTON-NGC-CANARY-41aa";

class LeptonPlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TAO_REQUIRE_DOCKER_ENGINE(docker_host_);
    ASSERT_TRUE(docker_testing::EnsureTestImage(docker_host_).ok());
    owner_ = docker_testing::UniqueName("tao-lepton-platform");
    auto workspace = testing::LeptonTestWorkspace::Start(
        docker_host_, owner_, [](FakeLeptonServer::Options& options) {
          options.node_groups = json::array(
              {{{"metadata", {{"id", "ng-8f2c"}, {"name", "h100-pool"}}}}});
        });
    ASSERT_TRUE(workspace.ok()) << workspace.status();
    workspace_ = *std::move(workspace);
    platform_ = workspace_->MakePlatform();
    ASSERT_NE(platform_, nullptr);
  }

  // The reference backend with `model` (knobs after '+').
  LaunchSpec Spec(const std::string& model = "hf_model://nvidia/test") {
    LaunchSpec spec;
    spec.job_id = docker_testing::RandomJobId();
    spec.network_arch = "cosmos-rl";
    spec.image = docker_testing::kTestImage;
    const std::string job_id = spec.job_id;
    spec.inner_command = [job_id, model](int port) {
      return absl::StatusOr<std::string>(absl::StrCat(
          "exec cosmos-rl-inference-microservice --job '{\"job_id\":\"", job_id,
          "\",\"specs\":{\"model_path\":\"", model,
          "\"},\"neural_network_name\":\"cosmos-rl\"}' --docker_env_vars "
          "'{}' --port ",
          port));
    };
    spec.env = {{"TAO_EXECUTION_BACKEND", "lepton"},
                {"TAO_API_JOB_ID", spec.job_id}};
    spec.secret_env = {{"HF_TOKEN", kHfCanary}};
    spec.server_instance = owner_;
    spec.deadline = absl::Now() + absl::Minutes(2);
    return spec;
  }

  std::string Name(const LaunchSpec& spec) {
    return *DeploymentName(spec.job_id);
  }

  // Every user secret of deployment `name` in the fake's store.
  std::vector<std::string> SecretsOf(const std::string& name) {
    std::vector<std::string> found;
    for (const json& secret : workspace_->fake().workspace().SecretsJson()) {
      const std::string secret_name = secret.value("name", "");
      if (secret_name.rfind(name + "-", 0) == 0) found.push_back(secret_name);
    }
    return found;
  }

  // Everything the fake recorded of the driver's requests.
  std::string RequestLog() {
    return workspace_->fake().requests().Entries().dump();
  }

  // Inspect until it leaves kPending/kRunning or `patience` passes.
  RuntimeState AwaitEnd(const Placement& placement, absl::Duration patience) {
    const absl::Time give_up = absl::Now() + patience;
    RuntimeState state;
    while (absl::Now() < give_up) {
      absl::StatusOr<RuntimeState> now = platform_->Inspect(placement);
      EXPECT_TRUE(now.ok()) << now.status();
      if (!now.ok()) return state;
      state = *now;
      if (state.phase != Phase::kPending && state.phase != Phase::kRunning) {
        break;
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
    return state;
  }

  std::string docker_host_;
  std::string owner_;
  std::unique_ptr<testing::LeptonTestWorkspace> workspace_;
  std::unique_ptr<LeptonPlatform> platform_;
};

TEST_F(LeptonPlatformTest, EndpointTakesOnlyTheDeploymentsToken) {
  const LaunchSpec spec = Spec();
  absl::StatusOr<Placement> placement = platform_->Launch(spec, nullptr);
  ASSERT_TRUE(placement.ok()) << placement.status();
  const std::string liveness = placement->host_url + "/api/v1/health/liveness";

  absl::StatusOr<tests::HttpAnswer> anonymous = tests::HttpGet(liveness);
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_THAT(anonymous->body, HasSubstr("Not Authorized"));
  absl::StatusOr<tests::HttpAnswer> wrong = tests::HttpGet(
      liveness, absl::Seconds(10), {"Authorization: Bearer not-the-token"});
  ASSERT_TRUE(wrong.ok()) << wrong.status();
  EXPECT_EQ(wrong->status, 401);

  absl::StatusOr<std::vector<std::string>> headers =
      platform_->EndpointHeaders(*placement);
  ASSERT_TRUE(headers.ok()) << headers.status();
  ASSERT_EQ(headers->size(), 1u);
  EXPECT_THAT((*headers)[0], HasSubstr("Authorization: Bearer "));
  EXPECT_TRUE(
      tests::HttpGetUntilOk(liveness, absl::Seconds(60), *headers).ok());

  // The token is in no placement; a restarted server reads it back.
  for (const auto& [key, value] : placement->attributes) {
    EXPECT_THAT(value, Not(HasSubstr((*headers)[0].substr(22))));
  }
  std::unique_ptr<LeptonPlatform> restarted = workspace_->MakePlatform();
  absl::StatusOr<std::vector<std::string>> again =
      restarted->EndpointHeaders(*placement);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *headers);
  EXPECT_TRUE(platform_->Terminate(*placement).ok());
}

TEST_F(LeptonPlatformTest, HfTokenIsOnlyInTheSecretStoreAndGoesWithStop) {
  const LaunchSpec spec = Spec("hf_model://nvidia/test+print-env");
  std::vector<std::string> progress;
  absl::StatusOr<Placement> placement = platform_->Launch(
      spec,
      [&](const ProgressEvent& event) { progress.push_back(event.message); });
  ASSERT_TRUE(placement.ok()) << placement.status();
  const std::string name = Name(spec);
  EXPECT_EQ(placement->platform_job_id, name);
  EXPECT_EQ(workspace_->fake().workspace().SecretValue(name + "-hf-token"),
            kHfCanary);

  // The deployment references the secret; its value is nowhere else.
  std::shared_ptr<fakes::lepton::DeploymentRecord> record =
      workspace_->fake().workspace().FindDeployment(name);
  ASSERT_NE(record, nullptr);
  const std::string deployment = record->ToJson().dump();
  EXPECT_THAT(deployment,
              HasSubstr("\"secret_name_ref\":\"" + name + "-hf-token\""));
  EXPECT_THAT(deployment, Not(HasSubstr(kHfCanary)));
  EXPECT_THAT(RequestLog(), Not(HasSubstr(kHfCanary)));
  for (const std::string& message : progress) {
    EXPECT_THAT(message, Not(HasSubstr(kHfCanary)));
  }
  absl::StatusOr<std::string> logs = platform_->Logs(*placement, 50);
  ASSERT_TRUE(logs.ok()) << logs.status();
  EXPECT_THAT(*logs, Not(HasSubstr(kHfCanary)));

  ASSERT_TRUE(platform_->Terminate(*placement).ok());
  EXPECT_EQ(workspace_->fake().workspace().FindDeployment(name), nullptr);
  EXPECT_THAT(SecretsOf(name), ::testing::IsEmpty());
  absl::StatusOr<RuntimeState> gone = platform_->Inspect(*placement);
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_EQ(gone->phase, Phase::kMissing);
}

TEST_F(LeptonPlatformTest,
       NgcKeyMakesOneSharedPullSecretAndAPullFailureSaysSo) {
  std::unique_ptr<LeptonPlatform> platform =
      workspace_->MakePlatform({{"NGC_API_KEY", kNgcCanary}});
  // No registry is reachable from the test machine: the pull fails.
  for (int i = 0; i < 2; ++i) {
    LaunchSpec spec = Spec();
    spec.image = "nvcr.io/nvidia/tao/no-such-image-for-tests:0";
    absl::StatusOr<Placement> placement = platform->Launch(spec, nullptr);
    ASSERT_FALSE(placement.ok());
    EXPECT_EQ(placement.status().code(), absl::StatusCode::kFailedPrecondition)
        << placement.status();
    EXPECT_THAT(placement.status().message(),
                HasSubstr("Failed to pull image"));
    EXPECT_THAT(placement.status().message(), Not(HasSubstr(kNgcCanary)));
    // Nothing of the failed launch is left.
    EXPECT_EQ(workspace_->fake().workspace().FindDeployment(Name(spec)),
              nullptr);
    EXPECT_THAT(SecretsOf(Name(spec)), ::testing::IsEmpty());
  }
  std::optional<json> pull =
      workspace_->fake().workspace().ImagePullSecret("tao-nvcr-io");
  ASSERT_TRUE(pull.has_value());
  EXPECT_EQ(pull->value("password", ""), kNgcCanary) << "(the spec's password)";
  int creates = 0;
  for (const json& request : workspace_->fake().requests().Entries()) {
    if (request.value("method", "") == "POST" &&
        request.value("path", "").find("/imagepullsecrets") !=
            std::string::npos) {
      ++creates;
    }
  }
  EXPECT_EQ(creates, 1) << "the pull secret is created once, then reused";
  EXPECT_THAT(RequestLog(), Not(HasSubstr(kNgcCanary)));
}

TEST_F(LeptonPlatformTest, UnknownShapeIsRefusedNamingIt) {
  LaunchSpec spec = Spec();
  spec.options["resource_shape"] = "gpu.99xnothing";
  absl::StatusOr<Placement> placement = platform_->Launch(spec, nullptr);
  ASSERT_FALSE(placement.ok());
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kInvalidArgument)
      << placement.status();
  EXPECT_THAT(placement.status().message(), HasSubstr("gpu.99xnothing"));
  EXPECT_EQ(workspace_->fake().workspace().FindDeployment(Name(spec)), nullptr);
  EXPECT_THAT(SecretsOf(Name(spec)), ::testing::IsEmpty());
}

TEST_F(LeptonPlatformTest, MissingShapeListsTheWorkspacesShapes) {
  LeptonPlatform::Options options = workspace_->DriverOptions();
  options.resource_shape.clear();
  auto platform = LeptonPlatform::Create(std::move(options));
  ASSERT_TRUE(platform.ok());
  absl::StatusOr<Placement> placement = (*platform)->Launch(Spec(), nullptr);
  ASSERT_FALSE(placement.ok());
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(placement.status().message(),
              HasSubstr("lepton.resource_shape: not set"));
}

TEST_F(LeptonPlatformTest, NodeGroupByNameBecomesItsId) {
  LaunchSpec spec = Spec();
  spec.options["dedicated_node_group"] = "h100-pool";
  absl::StatusOr<Placement> placement = platform_->Launch(spec, nullptr);
  ASSERT_TRUE(placement.ok()) << placement.status();
  std::shared_ptr<fakes::lepton::DeploymentRecord> record =
      workspace_->fake().workspace().FindDeployment(Name(spec));
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->ToJson()["spec"]["resource_requirement"]["affinity"]
                            ["allowed_dedicated_node_groups"],
            json::array({"ng-8f2c"}));
  EXPECT_TRUE(platform_->Terminate(*placement).ok());

  LaunchSpec unknown = Spec();
  unknown.options["dedicated_node_group"] = "a100-pool";
  absl::StatusOr<Placement> refused = platform_->Launch(unknown, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("no dedicated node group \"a100-pool\""));
  EXPECT_THAT(refused.status().message(), HasSubstr("h100-pool (ng-8f2c)"));
}

TEST_F(LeptonPlatformTest, WrongWorkspaceTokenSaysWhichVariable) {
  std::unique_ptr<LeptonPlatform> platform = workspace_->MakePlatform(
      {{kEnvWorkspaceToken, "expired-workspace-token-123"}});
  absl::StatusOr<Placement> placement = platform->Launch(Spec(), nullptr);
  ASSERT_FALSE(placement.ok());
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kUnauthenticated)
      << placement.status();
  EXPECT_THAT(placement.status().message(), HasSubstr(kEnvWorkspaceToken));
  EXPECT_THAT(placement.status().message(),
              Not(HasSubstr("expired-workspace-token-123")));
}

TEST_F(LeptonPlatformTest, MissingCredentialsNameTheVariables) {
  LeptonPlatform::Options options = workspace_->DriverOptions();
  options.getenv = [](absl::string_view) { return std::nullopt; };
  auto platform = LeptonPlatform::Create(std::move(options));
  ASSERT_TRUE(platform.ok()) << "a server without Lepton settings starts";
  absl::StatusOr<Placement> placement = (*platform)->Launch(Spec(), nullptr);
  ASSERT_FALSE(placement.ok());
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(placement.status().message(), HasSubstr("LEPTON_WORKSPACE_ID"));
}

TEST_F(LeptonPlatformTest, ContainerExitingDuringLoadIsReportedWithItsCode) {
  const LaunchSpec spec =
      Spec("hf_model://nvidia/test+load-ms-2000+exit-during-load-3");
  absl::StatusOr<Placement> placement = platform_->Launch(spec, nullptr);
  if (placement.ok()) {
    // Lepton's Ready only means the port answered; the exit comes later.
    const RuntimeState state = AwaitEnd(*placement, absl::Seconds(60));
    EXPECT_EQ(state.phase, Phase::kExited) << state.detail;
    EXPECT_TRUE(state.has_exit_code);
    EXPECT_EQ(state.exit_code, 3);
    EXPECT_THAT(state.detail, HasSubstr("exited with code 3"));
    EXPECT_TRUE(platform_->Terminate(*placement).ok());
  } else {
    EXPECT_EQ(placement.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(placement.status().message(), HasSubstr("exited with code 3"));
  }
  Placement by_job_id;
  by_job_id.job_id = spec.job_id;
  EXPECT_TRUE(platform_->Terminate(by_job_id).ok());
  EXPECT_THAT(SecretsOf(Name(spec)), ::testing::IsEmpty());
}

TEST_F(LeptonPlatformTest, DeploymentDeletedBehindTheDriversBack) {
  const LaunchSpec spec = Spec();
  absl::StatusOr<Placement> placement = platform_->Launch(spec, nullptr);
  ASSERT_TRUE(placement.ok()) << placement.status();
  // Someone runs `lep endpoint remove`.
  httplib::Client client("127.0.0.1", workspace_->fake().port());
  httplib::Headers auth = {
      {"Authorization", absl::StrCat("Bearer ", testing::kTestToken)}};
  auto removed =
      client.Delete(absl::StrCat("/api/v2/workspaces/", testing::kTestWorkspace,
                                 "/deployments/", Name(spec)),
                    auth);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->status, 200);
  const RuntimeState state = AwaitEnd(*placement, absl::Seconds(30));
  EXPECT_EQ(state.phase, Phase::kMissing) << state.detail;

  // Once it is gone, a restarted server's Reattach removes its secrets.
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (workspace_->fake().workspace().FindDeployment(Name(spec)) != nullptr &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  Placement stored = *placement;
  absl::StatusOr<RuntimeState> reattached = platform_->Reattach(stored);
  ASSERT_TRUE(reattached.ok()) << reattached.status();
  EXPECT_EQ(reattached->phase, Phase::kMissing);
  EXPECT_THAT(SecretsOf(Name(spec)), ::testing::IsEmpty());
  EXPECT_TRUE(platform_->Terminate(*placement).ok());
}

TEST_F(LeptonPlatformTest, ReattachFinishesALaunchCutShort) {
  // A server killed after POST /deployments, before Launch returned: the
  // registry has the name only (ReportPlacement), no host_url.
  const LaunchSpec spec = Spec();
  absl::StatusOr<Placement> launched = platform_->Launch(spec, nullptr);
  ASSERT_TRUE(launched.ok()) << launched.status();
  Placement partial;
  partial.job_id = spec.job_id;
  partial.platform_job_id = launched->platform_job_id;
  std::unique_ptr<LeptonPlatform> restarted = workspace_->MakePlatform();
  absl::StatusOr<RuntimeState> state = restarted->Reattach(partial);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->phase, Phase::kRunning) << state->detail;
  EXPECT_EQ(partial.host_url, launched->host_url);

  absl::StatusOr<std::vector<OwnedWorkload>> owned =
      restarted->ListOwned(owner_);
  ASSERT_TRUE(owned.ok()) << owned.status();
  ASSERT_EQ(owned->size(), 1u);
  EXPECT_EQ((*owned)[0].job_id, spec.job_id);
  EXPECT_EQ((*owned)[0].network_arch, "cosmos-rl");
  EXPECT_THAT((*owned)[0].detail, HasSubstr("lep endpoint remove -n"));
  EXPECT_TRUE(restarted->Terminate(partial).ok());

  // Killed after the secrets were made, before the deployment (and so
  // before the placement was reported): Reattach finds no deployment of
  // the name the job id gives and removes them.
  const std::string orphan = "tao-0123456789abcdef0123456789ab";
  workspace_->fake().workspace().PutSecret(orphan + "-hf-token", "x", "");
  Placement cut;
  cut.job_id = "01234567-89ab-cdef-0123-456789abcdef";
  absl::StatusOr<RuntimeState> missing = restarted->Reattach(cut);
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(missing->phase, Phase::kMissing);
  EXPECT_THAT(SecretsOf(orphan), ::testing::IsEmpty());
}

}  // namespace
}  // namespace tao::platforms::lepton
