// The fake with deployments on the real Docker engine and the
// reference-backend test image: Ready through a TCP probe, the endpoint's
// token-checking proxy to the container's own routes, user secrets in the
// container's environment, the config errors, crash records, logs, and
// delete. Skipped without an engine unless TAO_REQUIRE_DOCKER=1.
#include <functional>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/docker_containers.h"
#include "tests/fakes/lepton/fake_lepton_server.h"
#include "tests/platforms/local_docker/docker_test_env.h"

namespace tao::fakes::lepton {
namespace {

namespace docker_testing = platforms::local_docker::testing;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kToken[] = "workspace-token";
constexpr char kEndpointToken[] = "endpoint-token-0123456789abcdef";
constexpr char kStartBackend[] =
    "exec cosmos-rl-inference-microservice --job "
    "'{\"job_id\":\"j1\",\"specs\":{\"model_path\":\"hf_model://nvidia/"
    "test\"},\"neural_network_name\":\"cosmos-rl\"}' --docker_env_vars '{}' "
    "--port 8080";

json Deployment(const std::string& name, const std::string& image,
                const std::string& inner_command) {
  return {{"metadata", {{"id", name}, {"name", name}}},
          {"spec",
           {{"container",
             {{"image", image},
              {"command", {"/bin/bash", "-c", inner_command}},
              {"ports", {{{"container_port", 8080}}}}}},
            {"resource_requirement",
             {{"resource_shape", "gpu.1xh100-sxm"},
              {"min_replicas", 1},
              {"max_replicas", 1},
              {"shared_memory_size", 256}}},
            {"api_tokens", {{{"value", kEndpointToken}}}},
            {"auto_scaler", {{"scale_down", {{"no_traffic_timeout", 0}}}}}}}};
}

class FakeLeptonDockerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TAO_REQUIRE_DOCKER_ENGINE(host_);
    ASSERT_TRUE(docker_testing::EnsureTestImage(host_).ok());
    auto docker = DockerContainers::Connect(host_);
    ASSERT_TRUE(docker.ok()) << docker.status();
    docker_ = *std::move(docker);
    owner_ = docker_testing::UniqueName("fake-lepton-test");
    FakeLeptonServer::Options options;
    options.workspace = "wsdocker";
    options.token = kToken;
    options.docker_host = host_;
    options.owner = owner_;
    options.probe_interval = absl::Milliseconds(200);
    options.restart_backoff = absl::Milliseconds(500);
    options.retry_interval = absl::Milliseconds(300);
    options.delete_delay = absl::Milliseconds(300);
    auto server = FakeLeptonServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(60, 0);
  }

  void TearDown() override {
    server_.reset();
    if (docker_ != nullptr) {
      // Nothing of this owner outlives the fake.
      auto left = docker_->ListLabelled(kOwnerLabel, owner_);
      ASSERT_TRUE(left.ok()) << left.status();
      EXPECT_THAT(*left, ::testing::IsEmpty());
    }
  }

  std::string Path(const std::string& below) {
    return absl::StrCat("/api/v2/workspaces/wsdocker", below);
  }
  httplib::Headers Auth() {
    return {{"Authorization", absl::StrCat("Bearer ", kToken)}};
  }
  json GetJson(const std::string& below) {
    auto answer = client_->Get(Path(below).c_str(), Auth());
    if (!answer || answer->status != 200) return json();
    return json::parse(answer->body, nullptr, false);
  }
  int Create(const json& body) {
    auto answer = client_->Post(Path("/deployments").c_str(), Auth(),
                                body.dump(), "application/json");
    return answer ? answer->status : -1;
  }
  // Polls `check` every 100 ms for up to two minutes (a first pull or a
  // slow engine); true once it held.
  bool Eventually(const std::function<bool()>& check) {
    for (int i = 0; i < 1200; ++i) {
      if (check()) return true;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return false;
  }
  std::string State(const std::string& name) {
    json d = GetJson("/deployments/" + name);
    return d.is_object() ? d["status"].value("state", "?") : "<none>";
  }
  // The replica's one readiness issue.
  json Readiness(const std::string& name) {
    json r = GetJson("/deployments/" + name + "/readiness");
    if (!r.is_object() || r.empty()) return json::object();
    return r.begin().value()[0];
  }

  std::string host_;
  std::string owner_;
  std::unique_ptr<DockerContainers> docker_;
  std::unique_ptr<FakeLeptonServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(FakeLeptonDockerTest, ReadyBehindTheTokenCheckingEndpointThenDeleted) {
  auto secret = client_->Post(
      Path("/usersecrets").c_str(), Auth(),
      json::array({{{"name", "tao-hf"}, {"value", "canary-hf-secret"}}}).dump(),
      "application/json");
  ASSERT_TRUE(secret);
  ASSERT_EQ(secret->status, 200);
  json body =
      Deployment("tao-ready", docker_testing::kTestImage, kStartBackend);
  body["spec"]["envs"] = {
      {{"name", "PLAIN"}, {"value", "plain-value"}},
      {{"name", "HF_TOKEN"}, {"value_from", {{"secret_name_ref", "tao-hf"}}}}};
  ASSERT_EQ(Create(body), 201);

  ASSERT_TRUE(Eventually([&] { return State("tao-ready") == "Ready"; }))
      << State("tao-ready") << " " << Readiness("tao-ready").dump();
  EXPECT_EQ(Readiness("tao-ready")["reason"], "Ready");
  const json deployment = GetJson("/deployments/tao-ready");
  const std::string endpoint =
      deployment["status"]["endpoint"]["external_endpoint"];
  httplib::Client service(endpoint);
  service.set_read_timeout(30, 0);
  const httplib::Headers with_token = {
      {"Authorization", absl::StrCat("Bearer ", kEndpointToken)}};

  // Through the proxy, the container's own readiness route.
  auto ready = service.Get("/api/v1/health/readiness", with_token);
  ASSERT_TRUE(ready) << httplib::to_string(ready.error());
  EXPECT_THAT(ready->status, ::testing::AnyOf(200, 202, 503));
  for (const httplib::Headers& bad :
       {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer no"}},
        httplib::Headers{{"Authorization", kToken}}}) {
    auto refused = service.Get("/api/v1/health/readiness", bad);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401);
    EXPECT_EQ(refused->body, "Not Authorized");
  }
  ASSERT_TRUE(Eventually([&] {
    auto r = service.Get("/api/v1/health/readiness", with_token);
    return r && r->status == 200;
  }));

  // Inference through the proxy (a POST with a body).
  const json chat = {
      {"messages",
       {{{"role", "user"},
         {"content",
          {{{"type", "text"}, {"text", "what is this?"}},
           {{"type", "image_url"},
            {"image_url", {{"url", "https://example.com/cat.jpg"}}}}}}}}}};
  auto answer = service.Post("/v1/chat/completions", with_token, chat.dump(),
                             "application/json");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_EQ(json::parse(answer->body, nullptr, false).value("object", ""),
            "chat.completion");

  // The environment: the literal, the secret, the injected name.
  auto launch = service.Get("/_reference/launch", with_token);
  ASSERT_TRUE(launch);
  ASSERT_EQ(launch->status, 200);
  const json env = json::parse(launch->body)["env"];
  EXPECT_EQ(env.value("PLAIN", ""), "plain-value");
  EXPECT_EQ(env.value("HF_TOKEN", ""), "canary-hf-secret");
  EXPECT_EQ(env.value("LEPTON_DEPLOYMENT_NAME", ""), "tao-ready");
  // The secret is nowhere in the API's answers.
  auto full = client_->Get(Path("/deployments/tao-ready").c_str(), Auth());
  EXPECT_THAT(full->body, ::testing::Not(HasSubstr("canary-hf-secret")));

  // Replicas, live log and history log.
  const json replicas = GetJson("/deployments/tao-ready/replicas");
  ASSERT_EQ(replicas.size(), 1u);
  const std::string rid = replicas[0]["id"];
  auto log = client_->Get(
      Path("/deployments/tao-ready/replicas/" + rid + "/log").c_str(), Auth());
  ASSERT_TRUE(log);
  EXPECT_EQ(log->status, 200);
  EXPECT_EQ(log->get_header_value("Content-Type"), "text/plain");
  EXPECT_FALSE(log->body.empty());
  const json history = GetJson(absl::StrCat(
      "/logs?deployment=tao-ready&replica=", rid,
      "&start=0&end=", absl::ToUnixNanos(absl::Now() + absl::Minutes(1)),
      "&timestamps=true&direction=backward&limit=5000&q="));
  ASSERT_TRUE(history.is_object()) << history;
  const json values = history["data"]["result"][0]["values"];
  ASSERT_FALSE(values.empty());
  EXPECT_THAT(values[0][0].get<std::string>(),
              ::testing::MatchesRegex("[0-9]+"));
  const json events = GetJson("/deployments/tao-ready/events");
  std::vector<std::string> reasons;
  for (const json& e : events) reasons.push_back(e["reason"]);
  EXPECT_THAT(reasons, ::testing::IsSupersetOf(
                           {"Created", "Pulling", "Started", "Ready"}));

  // Delete: Deleting, then 404, the container gone.
  const std::string container = server_->ContainerOf("tao-ready");
  ASSERT_FALSE(container.empty());
  auto deleted =
      client_->Delete(Path("/deployments/tao-ready").c_str(), Auth());
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200);
  const std::string during = State("tao-ready");
  EXPECT_TRUE(during == "Deleting" || during == "<none>") << during;
  ASSERT_TRUE(Eventually([&] {
    auto gone = client_->Get(Path("/deployments/tao-ready").c_str(), Auth());
    return gone && gone->status == 404;
  }));
  auto inspected = docker_->Inspect(container);
  ASSERT_TRUE(inspected.ok());
  EXPECT_EQ(inspected->state, ContainerStatus::State::kMissing);
  auto after = service.Get("/api/v1/health/readiness", with_token);
  EXPECT_TRUE(!after || after->status != 200);
}

TEST_F(FakeLeptonDockerTest, AMissingSecretIsAConfigErrorUntilItExists) {
  json body =
      Deployment("tao-nosecret", docker_testing::kTestImage, kStartBackend);
  body["spec"]["envs"] = {
      {{"name", "HF_TOKEN"}, {"value_from", {{"secret_name_ref", "later"}}}}};
  ASSERT_EQ(Create(body), 201);
  ASSERT_TRUE(Eventually(
      [&] { return Readiness("tao-nosecret")["reason"] == "ConfigError"; }));
  EXPECT_EQ(Readiness("tao-nosecret")["message"], "Secret not found");
  EXPECT_EQ(State("tao-nosecret"), "Starting");
  EXPECT_TRUE(server_->ContainerOf("tao-nosecret").empty() ||
              docker_->Inspect(server_->ContainerOf("tao-nosecret"))->state ==
                  ContainerStatus::State::kMissing);
  // The fake retries, as a kubelet does: the secret arriving later starts it.
  auto secret =
      client_->Post(Path("/usersecrets").c_str(), Auth(),
                    json::array({{{"name", "later"}, {"value", "v"}}}).dump(),
                    "application/json");
  ASSERT_TRUE(secret);
  EXPECT_TRUE(Eventually([&] { return State("tao-nosecret") == "Ready"; }));
}

TEST_F(FakeLeptonDockerTest, AnImageThatCannotBePulledIsAConfigError) {
  ASSERT_EQ(
      Create(Deployment("tao-badimage",
                        "tao-no-such-registry.invalid/none/nothing:1", "true")),
      201);
  ASSERT_TRUE(Eventually([&] {
    return Readiness("tao-badimage")["reason"] == "ConfigError";
  })) << Readiness("tao-badimage").dump();
  EXPECT_EQ(Readiness("tao-badimage")["message"],
            "Failed to pull image: not found");
  EXPECT_EQ(State("tao-badimage"), "Starting");
  bool warned = false;
  for (const json& e : GetJson("/deployments/tao-badimage/events")) {
    if (e["type"] == "Warning" && e["reason"] == "Failed") warned = true;
  }
  EXPECT_TRUE(warned);
}

TEST_F(FakeLeptonDockerTest, AnExitingContainerLeavesTerminationRecords) {
  ASSERT_EQ(
      Create(Deployment("tao-exits", docker_testing::kTestImage, "exit 3")),
      201);
  // Two records: it exited, was restarted after the backoff, and exited
  // again.
  json terminations;
  ASSERT_TRUE(Eventually([&] {
    terminations = GetJson("/deployments/tao-exits/termination");
    return terminations.is_object() && !terminations.empty() &&
           terminations.begin().value().size() >= 2;
  })) << terminations;
  const json& first = terminations.begin().value()[0];
  EXPECT_EQ(first["exit_code"], 3);
  EXPECT_EQ(first["reason"], "Error");
  EXPECT_GT(first["finished_at"].get<int64_t>(), 0);
  // Never ready, so it reports Starting, not a terminal state.
  EXPECT_EQ(State("tao-exits"), "Starting");
}

TEST_F(FakeLeptonDockerTest, StoppingTheFakeRemovesItsContainers) {
  ASSERT_EQ(
      Create(Deployment("tao-left", docker_testing::kTestImage, "sleep 300")),
      201);
  ASSERT_TRUE(Eventually([&] {
    auto listed = docker_->ListLabelled(kOwnerLabel, owner_);
    return listed.ok() && listed->size() == 1;
  }));
  // TearDown stops the fake and checks that nothing of its owner is left.
}

}  // namespace
}  // namespace tao::fakes::lepton
