// Image pulls, registry credentials and API version negotiation, against a
// scripted engine (no registry is reachable from the test machines, so the
// real engine can only show a failing pull; see local_docker_platform_test).
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "platforms/local_docker/local_docker_platform.h"
#include "tests/platforms/local_docker/fake_docker_engine.h"

namespace tao::platforms::local_docker {
namespace {

using ::testing::Contains;
using testing::FakeDockerEngine;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kImage[] = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
constexpr char kNgcKey[] = "nvapi-secret-ngc-key-123";

std::vector<std::string> ProgressLines() {
  return {
      R"({"status":"Pulling from nvidia/tao/tao-toolkit","id":"7.0.0-cosmos-rl"})",
      R"({"status":"Pulling fs layer","progressDetail":{},"id":"l1"})",
      R"({"status":"Downloading","progressDetail":{"current":524288000,"total":1048576000},"id":"l1"})",
      R"({"status":"Downloading","progressDetail":{"current":1048576000,"total":1048576000},"id":"l1"})",
      R"({"status":"Download complete","progressDetail":{},"id":"l1"})",
      R"({"status":"Pull complete","progressDetail":{},"id":"l1"})",
      R"({"status":"Digest: sha256:0123"})",
      R"({"status":"Status: Downloaded newer image for nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl"})",
  };
}

FakeDockerEngine::Script PullScript(std::vector<std::string> lines) {
  FakeDockerEngine::Script script;
  script.pull_lines = std::move(lines);
  return script;
}

LaunchSpec Spec() {
  LaunchSpec spec;
  spec.job_id = "6f1c2a9e-1111-4222-8333-444455556666";
  spec.network_arch = "cosmos-rl";
  spec.image = kImage;
  spec.host_port = 8080;
  spec.inner_command = [](int) { return std::string("serve"); };
  spec.secret_env = {{"HF_TOKEN", "hf_never_shown"}};
  return spec;
}

struct Outcome {
  absl::StatusOr<Placement> placement;
  std::vector<ProgressEvent> events;
  std::vector<FakeDockerEngine::Recorded> requests;
};

Outcome LaunchOn(FakeDockerEngine& engine, const std::string& ngc_key) {
  LocalDockerOptions options;
  options.docker_host = engine.docker_host();
  options.ngc_api_key = ngc_key;
  options.container.gpus_enabled = false;
  auto platform = LocalDockerPlatform::Create(options);
  EXPECT_TRUE(platform.ok()) << platform.status();
  Outcome outcome;
  outcome.placement = (*platform)->Launch(
      Spec(), [&](const ProgressEvent& e) { outcome.events.push_back(e); });
  outcome.requests = engine.requests();
  return outcome;
}

const FakeDockerEngine::Recorded* FindRequest(const Outcome& outcome,
                                              absl::string_view path_suffix) {
  for (const auto& r : outcome.requests) {
    if (absl::EndsWith(r.path, path_suffix)) return &r;
  }
  return nullptr;
}

TEST(LocalDockerPullTest, PullsMissingNvcrImageWithNgcCredentials) {
  FakeDockerEngine engine(PullScript(ProgressLines()));
  Outcome outcome = LaunchOn(engine, kNgcKey);
  ASSERT_TRUE(outcome.placement.ok()) << outcome.placement.status();

  const FakeDockerEngine::Recorded* pull =
      FindRequest(outcome, "/images/create");
  ASSERT_NE(pull, nullptr);
  EXPECT_EQ(pull->query.at("fromImage"), "nvcr.io/nvidia/tao/tao-toolkit");
  EXPECT_EQ(pull->query.at("tag"), "7.0.0-cosmos-rl");
  std::string decoded;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(pull->registry_auth, &decoded));
  nlohmann::json auth = nlohmann::json::parse(decoded);
  EXPECT_EQ(auth["username"], "$oauthtoken");
  EXPECT_EQ(auth["password"], kNgcKey);
  EXPECT_EQ(auth["serveraddress"], "nvcr.io");
  // Only the pull carries credentials.
  for (const auto& r : outcome.requests) {
    if (&r != pull) {
      EXPECT_EQ(r.registry_auth, "") << r.path;
    }
  }
}

TEST(LocalDockerPullTest, ForwardsPullProgressWithoutSecrets) {
  FakeDockerEngine engine(PullScript(ProgressLines()));
  Outcome outcome = LaunchOn(engine, kNgcKey);
  ASSERT_TRUE(outcome.placement.ok()) << outcome.placement.status();
  std::vector<std::string> pulling;
  for (const ProgressEvent& e : outcome.events) {
    EXPECT_THAT(e.message, Not(HasSubstr(kNgcKey)));
    if (e.phase == ProgressEvent::Phase::kPulling) pulling.push_back(e.message);
  }
  const std::string prefix = absl::StrCat("pulling ", kImage, ": ");
  EXPECT_THAT(
      pulling,
      ::testing::ElementsAre(
          absl::StrCat("image ", kImage,
                       " is not on the Docker engine; pulling it with the NGC "
                       "API key from NGC_API_KEY"),
          prefix + "Pulling from nvidia/tao/tao-toolkit",
          prefix + "downloaded 500.0 MiB of 1000.0 MiB so far (50%)",
          prefix + "downloaded 1000.0 MiB of 1000.0 MiB so far (100%)",
          prefix + "layer l1 done (1 of 1 layers)",
          prefix + "Digest: sha256:0123",
          prefix + "Status: Downloaded newer image for " + kImage,
          absl::StrCat("pulled image ", kImage)));
}

TEST(LocalDockerPullTest, WithoutKeyPullsAnonymouslyAndSaysSo) {
  FakeDockerEngine engine(PullScript(ProgressLines()));
  Outcome outcome = LaunchOn(engine, "");
  ASSERT_TRUE(outcome.placement.ok()) << outcome.placement.status();
  const FakeDockerEngine::Recorded* pull =
      FindRequest(outcome, "/images/create");
  ASSERT_NE(pull, nullptr);
  EXPECT_EQ(pull->registry_auth, "");
  ASSERT_FALSE(outcome.events.empty());
  EXPECT_THAT(outcome.events.front().message,
              HasSubstr("without credentials (NGC_API_KEY is not set)"));
}

TEST(LocalDockerPullTest,
     ErrorInsidePullStreamIsFailedPreconditionNamingImage) {
  std::vector<std::string> lines = {
      R"({"status":"Pulling from nvidia/tao/tao-toolkit","id":"7.0.0-cosmos-rl"})",
      R"({"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized: authentication required"})"};
  FakeDockerEngine engine(PullScript(lines));
  Outcome outcome = LaunchOn(engine, kNgcKey);
  ASSERT_FALSE(outcome.placement.ok());
  const absl::Status& status = outcome.placement.status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(status.message()), HasSubstr(kImage));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("unauthorized: authentication required"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("NGC_API_KEY"));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kNgcKey)));
  EXPECT_EQ(FindRequest(outcome, "/containers/create"), nullptr);
}

TEST(LocalDockerPullTest, UsesTheEnginesOldestVersionWhenItDroppedOurs) {
  FakeDockerEngine engine(PullScript(ProgressLines()));  // 1.44..1.45
  Outcome outcome = LaunchOn(engine, "");
  ASSERT_TRUE(outcome.placement.ok()) << outcome.placement.status();
  std::vector<std::string> paths;
  for (const auto& r : outcome.requests) paths.push_back(r.path);
  EXPECT_EQ(paths.front(), "/version");
  for (size_t i = 1; i < paths.size(); ++i) {
    EXPECT_TRUE(absl::StartsWith(paths[i], "/v1.44/")) << paths[i];
  }
  EXPECT_THAT(paths, Contains("/v1.44/containers/create"));
}

}  // namespace
}  // namespace tao::platforms::local_docker
