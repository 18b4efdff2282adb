// lepton end to end: the real tao-inferd and tao-infer against the fake
// Lepton workspace whose deployments run the reference-backend test image
// on the real Docker engine. Both architectures through the gRPC stub and
// through the CLI, the deployment's endpoint refusing callers without its
// token, secrets only in the workspace's secret store, an nvcr.io image
// pulled with the pull secret made from NGC_API_KEY, and nothing left in
// the workspace after Stop.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/lepton/deployment_names.h"
#include "platforms/lepton/deployment_spec.h"
#include "tests/integration/lepton/lepton_e2e_fixture.h"
#include "tests/platforms/local_docker/docker_test_env.h"
#include "tests/support/http_get.h"

namespace tao::integration::lepton {
namespace {

using json = nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

using LeptonLifecycleTest = LeptonE2eTest;
namespace names = platforms::lepton;

constexpr int kOk = 0;
constexpr int kTarget = 3;

// The env entry `name` of a deployment spec ({} when absent).
json EnvOf(const json& spec, const std::string& name) {
  for (const json& env : spec.value("envs", json::array())) {
    if (env.value("name", "") == name) return env;
  }
  return json::object();
}

std::string ShapeOf(const json& spec) {
  return spec.value("resource_requirement", json::object())
      .value("resource_shape", "");
}

// The one API token of a deployment's endpoint, as a header line.
std::string AuthHeaderOf(const fakes::lepton::DeploymentRecord& record) {
  const std::vector<std::string> tokens = record.ApiTokens();
  EXPECT_THAT(tokens, SizeIs(1)) << "one API token per deployment";
  return tokens.empty() ? ""
                        : absl::StrCat("Authorization: Bearer ", tokens[0]);
}

TEST_F(LeptonLifecycleTest, BothArchitecturesThroughTheStubThenNothingLeft) {
  const v1::Service rl = calls_.StartReady(StartRequestFor("cosmos-rl"));
  const v1::Service predict =
      calls_.StartReady(StartRequestFor("cosmos-predict2.5"));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  // Each is a deployment of its own behind an endpoint of its own.
  for (const v1::Service& service : {rl, predict}) {
    EXPECT_EQ(service.platform(), kPlatform);
    EXPECT_THAT(service.host_url(),
                MatchesRegex("http://127\\.0\\.0\\.1:[0-9]+"));
    EXPECT_EQ(service.platform_job_id(),
              names::DeploymentName(service.job_id()).value_or("?"));
  }
  EXPECT_NE(rl.host_url(), predict.host_url());

  // The deployment as the workspace holds it.
  std::shared_ptr<fakes::lepton::DeploymentRecord> record =
      DeploymentOf(rl.job_id());
  ASSERT_NE(record, nullptr) << server_.Log();
  json deployment = record->ToJson();
  json spec = deployment["spec"];
  EXPECT_EQ(spec["container"]["image"], kTestImage);
  EXPECT_EQ(ShapeOf(spec), kResourceShape);
  EXPECT_FALSE(spec.contains("image_pull_secrets")) << "not an nvcr.io image";
  EXPECT_EQ(deployment["metadata"]["labels"][names::kLabelServerInstance],
            owner_);
  EXPECT_EQ(EnvOf(spec, "TAO_EXECUTION_BACKEND").value("value", ""), kPlatform);
  // The HF_TOKEN by reference to a user secret that holds it.
  const std::string secret = absl::StrCat(record->name(), "-hf-token");
  EXPECT_EQ(EnvOf(spec, "HF_TOKEN"),
            json({{"name", "HF_TOKEN"},
                  {"value_from", {{"secret_name_ref", secret}}}}));
  EXPECT_EQ(fake().workspace().SecretValue(secret), hf_token_);
  ExpectCanariesOnlyInSecretStore();

  // The endpoint refuses a caller without the deployment's token; with it
  // the container answers, and it got the HF_TOKEN from the secret.
  absl::StatusOr<tests::HttpAnswer> anonymous =
      tests::HttpGet(rl.host_url() + "/api/v1/health/liveness");
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_EQ(anonymous->status, 401) << anonymous->body;
  const std::string auth = AuthHeaderOf(*record);
  absl::StatusOr<tests::HttpAnswer> launch = tests::HttpGet(
      rl.host_url() + "/_reference/launch", absl::Seconds(10), {auth});
  ASSERT_TRUE(launch.ok()) << launch.status();
  ASSERT_EQ(launch->status, 200) << launch->body;
  const json launched = json::parse(launch->body, nullptr, false);
  ASSERT_TRUE(launched.is_object()) << launch->body;
  const json env = launched.value("env", json::object());
  EXPECT_EQ(env.value("HF_TOKEN", ""), hf_token_);
  EXPECT_EQ(env.value("TAO_EXECUTION_BACKEND", ""), kPlatform);

  // Through the server (which sends the token): by job id, by architecture
  // (a video), and no guess between two services.
  v1::InferRequest by_id = E2eCalls::ChatRequest("What is this?", true);
  by_id.set_job_id(rl.job_id());
  v1::InferResponse answer;
  grpc::Status status = calls_.Infer(by_id, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  EXPECT_EQ(answer.job_id(), rl.job_id());
  ASSERT_GT(answer.choices_size(), 0);
  EXPECT_FALSE(answer.choices(0).text().empty());
  v1::InferRequest video = E2eCalls::ChatRequest("a robot arm", false);
  video.set_network_arch("cosmos-predict2.5");
  status = calls_.Infer(video, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.job_id(), predict.job_id());
  ASSERT_GT(answer.choices_size(), 0);
  EXPECT_EQ(answer.choices(0).media_mime_type(), "video/mp4");
  EXPECT_EQ(answer.choices(0).media().substr(4, 4), "ftyp");
  status = calls_.Infer(E2eCalls::ChatRequest("hi", false), &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "two services: the server must not guess";
  std::optional<v1::ErrorDetails> details = DetailsOf(status);
  ASSERT_TRUE(details.has_value()) << status.error_message();
  EXPECT_EQ(details->reason_code(), v1::ERROR_REASON_AMBIGUOUS_TARGET);
  EXPECT_EQ(details->candidates_size(), 2);

  v1::ListRequest refresh;
  refresh.set_refresh(true);
  v1::ListResponse listed;
  ASSERT_TRUE(calls_.List(&listed, refresh).ok());
  std::vector<std::string> listed_ids;
  for (const v1::Service& service : listed.services()) {
    listed_ids.push_back(service.job_id());
    EXPECT_EQ(service.platform(), kPlatform);
    EXPECT_EQ(service.state(), v1::SERVICE_STATE_READY) << service.reason();
  }
  EXPECT_THAT(listed_ids, UnorderedElementsAre(rl.job_id(), predict.job_id()));

  // The endpoints' tokens stay in the driver's memory and the deployments.
  for (const v1::Service& service : {rl, predict}) {
    std::shared_ptr<fakes::lepton::DeploymentRecord> it =
        DeploymentOf(service.job_id());
    ASSERT_NE(it, nullptr);
    for (const std::string& token : it->ApiTokens()) {
      calls_.ExpectNowhere(token, "deployment API token");
    }
  }

  v1::StopResponse stopped;
  ASSERT_TRUE(calls_.Stop(rl.job_id(), &stopped).ok()) << server_.Log();
  ASSERT_TRUE(calls_.Stop(predict.job_id(), &stopped).ok()) << server_.Log();
  ExpectWorkspaceEmpty();
  ASSERT_TRUE(calls_.List(&listed).ok());
  EXPECT_EQ(listed.services_size(), 0);
}

TEST_F(LeptonLifecycleTest, BothArchitecturesThroughTheCli) {
  RunOutput rl_started = calls_.Cli(
      {"start", "--platform", "lepton", "--network-arch", "cosmos-rl",
       "--model-path", "hf_model://nvidia/Cosmos-Reason1-7B", "--option",
       "resource_shape=gpu.8xh100-sxm", "--wait", "--timeout", "180"});
  ASSERT_EQ(rl_started.exit_code, kOk)
      << rl_started.out << rl_started.err << "\n"
      << server_.Log();
  RunOutput predict_started = calls_.Cli(
      {"start", "--platform", "lepton", "--network-arch", "cosmos-predict2.5",
       "--model-path", "hf_model://nvidia/Cosmos-Predict2.5-2B", "--model-key",
       "base-2b", "--wait", "--timeout", "180"});
  ASSERT_EQ(predict_started.exit_code, kOk)
      << predict_started.out << predict_started.err << "\n"
      << server_.Log();

  RunOutput listed = calls_.Cli({"list", "--refresh", "--json"});
  ASSERT_EQ(listed.exit_code, kOk) << listed.err;
  json list = StdoutJson(listed);
  ASSERT_EQ(list["services"].size(), 2u) << listed.out;
  std::map<std::string, std::string> job_of;  // by architecture
  for (const json& service : list["services"]) {
    job_of[service.value("network_arch", "")] = service.value("job_id", "");
    EXPECT_EQ(service.value("platform", ""), kPlatform);
    EXPECT_EQ(service.value("state", ""), "SERVICE_STATE_READY")
        << service.dump();
  }
  const std::string rl = job_of["cosmos-rl"];
  const std::string predict = job_of["cosmos-predict2.5"];
  ASSERT_FALSE(rl.empty() || predict.empty()) << listed.out;
  // --option reached the deployment; the other took the server's default.
  ASSERT_NE(DeploymentOf(rl), nullptr);
  ASSERT_NE(DeploymentOf(predict), nullptr);
  EXPECT_EQ(ShapeOf(DeploymentOf(rl)->spec()), "gpu.8xh100-sxm");
  EXPECT_EQ(ShapeOf(DeploymentOf(predict)->spec()), kResourceShape);
  ExpectCanariesOnlyInSecretStore();

  const std::string png = server_.dir() + "/in.png";
  std::ofstream(png, std::ios::binary) << TinyPng();
  RunOutput by_id =
      calls_.Cli({"infer", "--job-id", rl, "--text", "What is this?", "--image",
                  png, "--accept-defaults", "--json"});
  EXPECT_EQ(by_id.exit_code, kOk) << by_id.out << by_id.err;
  EXPECT_EQ(StdoutJson(by_id).value("job_id", ""), rl);
  const std::string video = server_.dir() + "/robot.mp4";
  RunOutput by_arch = calls_.Cli(
      {"infer", "--network-arch", "cosmos-predict2.5", "--text",
       "a robot stacking cubes", "--accept-defaults", "--output", video});
  EXPECT_EQ(by_arch.exit_code, kOk) << by_arch.out << by_arch.err;
  const std::string bytes = ReadFileOrEmpty(video);
  ASSERT_GT(bytes.size(), 8u) << by_arch.out;
  EXPECT_EQ(bytes.substr(4, 4), "ftyp");
  // Neither --job-id nor --network-arch with two services: refused, both
  // listed.
  RunOutput refused =
      calls_.Cli({"infer", "--text", "hi", "--accept-defaults"});
  EXPECT_EQ(refused.exit_code, kTarget) << refused.out << refused.err;
  EXPECT_THAT(refused.out + refused.err,
              AllOf(HasSubstr(rl), HasSubstr(predict)));

  for (const std::string& id : {rl, predict}) {
    RunOutput stopped = calls_.Cli({"stop", id, "--yes"});
    EXPECT_EQ(stopped.exit_code, kOk) << stopped.out << stopped.err;
  }
  ExpectWorkspaceEmpty();
  RunOutput after = calls_.Cli({"list", "--json"});
  EXPECT_EQ(after.exit_code, kOk) << after.err;
  EXPECT_THAT(StdoutJson(after).value("services", json::array()), IsEmpty());
}

TEST_F(LeptonLifecycleTest, AnNvcrImageIsPulledWithTheNgcKeysPullSecret) {
  // The test image under an nvcr.io name, so that the fake's pull finds it
  // on the engine.
  const std::string image =
      absl::StrCat("nvcr.io/nvidia/tao/tao-reference-backend:",
                   platforms::local_docker::testing::UniqueName("lepton-test"));
  absl::Status tagged = TagTestImageAs(image);
  ASSERT_TRUE(tagged.ok()) << tagged;
  absl::Cleanup untag = [&] { RemoveImageTag(image); };
  v1::StartRequest request = StartRequestFor("cosmos-rl");
  request.set_image(image);
  const v1::Service service = calls_.StartReady(request);
  ASSERT_FALSE(HasFailure());

  std::optional<json> pull = fake().workspace().ImagePullSecret(kPullSecret);
  ASSERT_TRUE(pull.has_value()) << "no pull secret " << kPullSecret;
  EXPECT_EQ(pull->value("password", ""), ngc_key_);
  EXPECT_EQ(pull->value("username", ""), "$oauthtoken");
  std::shared_ptr<fakes::lepton::DeploymentRecord> record =
      DeploymentOf(service.job_id());
  ASSERT_NE(record, nullptr);
  json spec = record->spec();
  EXPECT_EQ(spec["container"]["image"], image);
  EXPECT_EQ(spec["image_pull_secrets"], json::array({kPullSecret}));
  ExpectCanariesOnlyInSecretStore();

  v1::InferRequest infer = E2eCalls::ChatRequest("What is this?", true);
  infer.set_job_id(service.job_id());
  v1::InferResponse answer;
  grpc::Status status = calls_.Infer(infer, &answer);
  EXPECT_TRUE(status.ok()) << status.error_message();

  v1::StopResponse stopped;
  EXPECT_TRUE(calls_.Stop(service.job_id(), &stopped).ok());
  // The pull secret is shared by every deployment and stays.
  ExpectWorkspaceEmpty();
  EXPECT_TRUE(fake().workspace().ImagePullSecret(kPullSecret).has_value());
}

}  // namespace
}  // namespace tao::integration::lepton
