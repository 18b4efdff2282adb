#include "tests/integration/lepton/lepton_e2e_fixture.h"

#include <csignal>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "httplib.h"
#include "platforms/lepton/deployment_names.h"
#include "platforms/local_docker/docker_api.h"
#include "platforms/local_docker/image_reference.h"
#include "tests/platforms/local_docker/docker_test_env.h"

namespace tao::integration::lepton {
namespace {

namespace docker_env = ::tao::platforms::local_docker::testing;
namespace local_docker = ::tao::platforms::local_docker;
using ::testing::HasSubstr;
using ::testing::Not;
using LeptonTestWorkspace = platforms::lepton::testing::LeptonTestWorkspace;

absl::StatusOr<std::unique_ptr<local_docker::DockerApi>> Engine(
    const std::string& docker_host) {
  absl::StatusOr<local_docker::DockerEndpoint> endpoint =
      local_docker::ParseDockerHost(docker_host);
  if (!endpoint.ok()) return endpoint.status();
  return std::make_unique<local_docker::DockerApi>(*std::move(endpoint));
}

}  // namespace

void LeptonE2eTest::SetUp() {
  TAO_REQUIRE_DOCKER_ENGINE(docker_host_);
  absl::Status image = docker_env::EnsureTestImage(docker_host_);
  ASSERT_TRUE(image.ok()) << image;
  owner_ = docker_env::UniqueName("tao-lepton-e2e");
  auto workspace = LeptonTestWorkspace::Start(docker_host_, owner_);
  ASSERT_TRUE(workspace.ok()) << workspace.status();
  workspace_ = *std::move(workspace);

  std::map<std::string, std::string> env = workspace_->Environment();
  env["TAO_LEPTON_RESOURCE_SHAPE"] = kResourceShape;
  env["NGC_API_KEY"] = ngc_key_;
  StartServer(std::move(env), owner_);
}

void LeptonE2eTest::TearDown() {
  if (ready_) {
    calls_.ExpectNowhere(hf_token_, "HF_TOKEN value");
    calls_.ExpectNowhere(ngc_key_, "NGC_API_KEY value");
    calls_.ExpectNowhere(config_.env[platforms::lepton::kEnvWorkspaceToken],
                         "LEPTON_WORKSPACE_TOKEN value");
    ExpectCanariesOnlyInSecretStore();
  }
  if (ready_ && server_.running()) {
    server_.Signal(SIGTERM);
    (void)server_.WaitExit(absl::Seconds(30));
  }
  workspace_.reset();  // the fake removes the containers of its owner
}

v1::StartRequest LeptonE2eTest::StartRequestFor(
    const std::string& network_arch) const {
  return ReferenceStartRequest(kPlatform, network_arch);
}

std::shared_ptr<fakes::lepton::DeploymentRecord> LeptonE2eTest::DeploymentOf(
    const std::string& job_id) {
  absl::StatusOr<std::string> name = platforms::lepton::DeploymentName(job_id);
  if (!name.ok()) return nullptr;
  return fake().workspace().FindDeployment(*name);
}

std::vector<std::string> LeptonE2eTest::DeploymentNames() {
  std::vector<std::string> names;
  for (const auto& record : fake().workspace().Deployments()) {
    names.push_back(record->name());
  }
  return names;
}

std::vector<std::string> LeptonE2eTest::SecretNames() {
  std::vector<std::string> names;
  for (const nlohmann::json& secret : fake().workspace().SecretsJson()) {
    names.push_back(secret.value("name", ""));
  }
  return names;
}

void LeptonE2eTest::ExpectWorkspaceEmpty() {
  EXPECT_THAT(DeploymentNames(), ::testing::IsEmpty())
      << "deployments left in the workspace";
  EXPECT_THAT(SecretNames(), ::testing::IsEmpty())
      << "user secrets left in the workspace";
  // The fake removes a deployment's container before the deployment goes.
  absl::StatusOr<std::unique_ptr<fakes::DockerContainers>> engine =
      fakes::DockerContainers::Connect(docker_host_);
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::StatusOr<std::vector<std::string>> running =
      (*engine)->ListLabelled(fakes::lepton::kOwnerLabel, owner_);
  ASSERT_TRUE(running.ok()) << running.status();
  EXPECT_THAT(*running, ::testing::IsEmpty()) << "containers left running";
}

void LeptonE2eTest::ExpectCanariesOnlyInSecretStore() {
  const std::string requests = fake().requests().Entries().dump();
  for (const auto& record : fake().workspace().Deployments()) {
    const std::string spec = record->ToJson().dump();
    EXPECT_THAT(spec, Not(HasSubstr(hf_token_)))
        << "the HF_TOKEN is in the spec of " << record->name();
    EXPECT_THAT(spec, Not(HasSubstr(ngc_key_)))
        << "the NGC_API_KEY is in the spec of " << record->name();
  }
  EXPECT_THAT(requests, Not(HasSubstr(hf_token_)))
      << "the fake's request log holds the HF_TOKEN";
  EXPECT_THAT(requests, Not(HasSubstr(ngc_key_)))
      << "the fake's request log holds the NGC_API_KEY";
}

int LeptonE2eTest::DeleteDeploymentBehindTheServersBack(
    const std::string& name) {
  httplib::Client client("127.0.0.1", fake().port());
  const httplib::Headers auth = {
      {"Authorization",
       absl::StrCat("Bearer ", platforms::lepton::testing::kTestToken)}};
  httplib::Result removed =
      client.Delete(absl::StrCat("/api/v2/workspaces/",
                                 platforms::lepton::testing::kTestWorkspace,
                                 "/deployments/", name),
                    auth);
  return removed ? removed->status : 0;
}

absl::Status LeptonE2eTest::TagTestImageAs(const std::string& reference) {
  absl::StatusOr<std::unique_ptr<local_docker::DockerApi>> engine =
      Engine(docker_host_);
  if (!engine.ok()) return engine.status();
  const local_docker::ImageReference ref =
      local_docker::ParseImageReference(reference);
  local_docker::DockerRequest tag;
  tag.method = "POST";
  tag.path =
      absl::StrCat("/images/", local_docker::EscapePath(kTestImage), "/tag");
  tag.query = {{"repo", ref.repository}, {"tag", ref.tag}};
  absl::StatusOr<local_docker::DockerResponse> tagged = (*engine)->Call(tag);
  if (!tagged.ok()) return tagged.status();
  if (tagged->status != 201) {
    return absl::InternalError(
        absl::StrCat("tagging ", kTestImage, " as ", reference, ": ",
                     local_docker::ErrorMessage(*tagged)));
  }
  return absl::OkStatus();
}

void LeptonE2eTest::RemoveImageTag(const std::string& reference) {
  absl::StatusOr<std::unique_ptr<local_docker::DockerApi>> engine =
      Engine(docker_host_);
  if (!engine.ok()) return;
  local_docker::DockerRequest untag;
  untag.method = "DELETE";
  untag.path = absl::StrCat("/images/", local_docker::EscapePath(reference));
  // An image with other names only loses this one, even while a container
  // still uses it.
  (void)(*engine)->Call(untag);
}

}  // namespace tao::integration::lepton
