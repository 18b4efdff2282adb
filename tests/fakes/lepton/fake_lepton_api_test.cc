// The fake's API without a Docker engine (its engine address leads
// nowhere, so deployments never get a container): error shapes, token
// enforcement, names, secrets, control routes and the request log.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/lepton/fake_lepton_server.h"

namespace tao::fakes::lepton {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kToken[] = "api-token-for-tests";

json DeploymentBody(const std::string& name) {
  return {{"metadata", {{"id", name}, {"name", name}}},
          {"spec",
           {{"container",
             {{"image", "tao-reference-backend:test"},
              {"command", {"/bin/bash", "-c", "sleep 60"}},
              {"ports", {{{"container_port", 8080}}}}}},
            {"resource_requirement",
             {{"resource_shape", "gpu.8xh100-sxm"},
              {"min_replicas", 1},
              {"max_replicas", 1},
              {"affinity",
               {{"allowed_dedicated_node_groups", {"fake-node-group"}}}},
              {"shared_memory_size", 1024}}},
            {"api_tokens", {{{"value", "endpoint-token"}}}}}}};
}

class FakeLeptonApiTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(32); }

  void StartServer(int name_limit) {
    FakeLeptonServer::Options options;
    options.workspace = "ws1";
    options.token = kToken;
    options.name_limit = name_limit;
    // No engine there: the API alone is under test.
    options.docker_host = "unix:///nonexistent/fake-lepton/docker.sock";
    options.retry_interval = absl::Milliseconds(100);
    options.delete_delay = absl::Milliseconds(100);
    server_.reset();
    auto server = FakeLeptonServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  std::string Path(const std::string& below) {
    return absl::StrCat("/api/v2/workspaces/ws1", below);
  }
  httplib::Headers Auth() {
    return {{"Authorization", absl::StrCat("Bearer ", kToken)}};
  }
  httplib::Result Get(const std::string& below) {
    return client_->Get(Path(below).c_str(), Auth());
  }
  httplib::Result Post(const std::string& below, const json& body) {
    return client_->Post(Path(below).c_str(), Auth(), body.dump(),
                         "application/json");
  }
  httplib::Result Delete(const std::string& below) {
    return client_->Delete(Path(below).c_str(), Auth());
  }
  httplib::Result Control(const std::string& path, const json& body) {
    return client_->Post(path.c_str(), body.dump(), "application/json");
  }

  // The error body's two fields.
  static json ErrorOf(const httplib::Result& result) {
    return json::parse(result->body, nullptr, false);
  }

  std::unique_ptr<FakeLeptonServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(FakeLeptonApiTest, TheTokenIsRequiredAndTheOriginHeaderIsAccepted) {
  for (const httplib::Headers& headers :
       {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer wrong"}},
        httplib::Headers{{"Authorization", kToken}}}) {
    auto answer = client_->Get(Path("/workspace").c_str(), headers);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 401);
    EXPECT_EQ(answer->body, "Not Authorized");
    EXPECT_EQ(answer->get_header_value("Content-Type"), "text/plain");
  }
  for (const char* origin :
       {"https://gateway.dgxc-lepton.nvidia.com",
        "https://gateway.dgxc-lepton.nvidia.com/api/v2/workspaces/ws1"}) {
    httplib::Headers headers = Auth();
    headers.emplace("origin", origin);
    auto answer = client_->Get(Path("/workspace").c_str(), headers);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200) << origin;
  }
  EXPECT_EQ(server_->url(), absl::StrCat("http://127.0.0.1:", server_->port(),
                                         "/api/v2/workspaces/ws1"));
}

TEST_F(FakeLeptonApiTest, WorkspaceInfoAndTheNewApiFlag) {
  auto info = Get("/workspace");
  ASSERT_TRUE(info);
  ASSERT_EQ(info->status, 200);
  json body = json::parse(info->body);
  EXPECT_EQ(body["workspace_name"], "ws1");
  EXPECT_EQ(body["workspace_state"], "normal");
  EXPECT_TRUE(body["supported_shapes"].contains("gpu.8xh100-sxm"));
  EXPECT_FALSE(body.contains("features"));

  auto set = Control("/_fake/workspace", {{"enable_new_deployment_api", true}});
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  body = json::parse(Get("/workspace")->body);
  EXPECT_EQ(body["features"]["enable_new_deployment_api"], true);
  auto refused = Post("/deployments", DeploymentBody("tao-new-api"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(ErrorOf(refused)["code"], "InvalidRequest");

  ASSERT_TRUE(
      Control("/_fake/workspace", {{"enable_new_deployment_api", false}}));
  body = json::parse(Get("/workspace")->body);
  EXPECT_EQ(body["features"]["enable_new_deployment_api"], false);
}

TEST_F(FakeLeptonApiTest, AnotherWorkspaceOrAnUnknownPathIsNotFound) {
  auto other = client_->Get("/api/v2/workspaces/ws2/workspace", Auth());
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
  EXPECT_EQ(ErrorOf(other)["code"], "ResourceNotFound");
  auto unknown = Get("/no-such-thing");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(FakeLeptonApiTest, CreateValidatesAndAnswersTheDeployment) {
  auto bad_name = Post("/deployments", DeploymentBody("Tao_bad"));
  ASSERT_TRUE(bad_name);
  EXPECT_EQ(bad_name->status, 400);
  EXPECT_EQ(ErrorOf(bad_name)["code"], "ValidationError");
  EXPECT_THAT(ErrorOf(bad_name)["message"].get<std::string>(),
              HasSubstr("invalid deployment spec: invalid name Tao_bad"));

  const std::string name36 = "tao-" + std::string(32, 'a');
  auto too_long = Post("/deployments", DeploymentBody(name36));
  ASSERT_TRUE(too_long);
  EXPECT_EQ(too_long->status, 400);

  auto malformed = client_->Post(Path("/deployments").c_str(), Auth(),
                                 "{not json", "application/json");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_EQ(ErrorOf(malformed)["code"], "InvalidRequest");
  EXPECT_THAT(ErrorOf(malformed)["message"].get<std::string>(),
              HasSubstr("malformed deployment spec"));

  json bad_shape = DeploymentBody("tao-shape");
  bad_shape["spec"]["resource_requirement"]["resource_shape"] = "gpu.3xfoo";
  auto shape = Post("/deployments", bad_shape);
  ASSERT_TRUE(shape);
  EXPECT_EQ(shape->status, 400);
  EXPECT_THAT(ErrorOf(shape)["message"].get<std::string>(),
              HasSubstr("resource shape gpu.3xfoo is not supported"));

  auto created = Post("/deployments", DeploymentBody("tao-one"));
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  json deployment = json::parse(created->body);
  EXPECT_EQ(deployment["metadata"]["name"], "tao-one");
  EXPECT_EQ(deployment["status"]["state"], "Starting");
  EXPECT_EQ(deployment["status"]["endpoint"]["internal_endpoint"],
            "http://tao-one.ws1.svc.cluster.local:8080");
  EXPECT_THAT(
      deployment["status"]["endpoint"]["external_endpoint"].get<std::string>(),
      ::testing::StartsWith("http://127.0.0.1:"));
  EXPECT_EQ(deployment["spec"]["api_tokens"][0]["value"], "endpoint-token");

  auto taken = Post("/deployments", DeploymentBody("tao-one"));
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->status, 409);
  EXPECT_EQ(ErrorOf(taken)["code"], "InvalidRequest");
  EXPECT_EQ(ErrorOf(taken)["message"], "deployment tao-one already exists");

  auto list = Get("/deployments");
  ASSERT_TRUE(list);
  ASSERT_EQ(json::parse(list->body).size(), 1u);
  auto replicas = Get("/deployments/tao-one/replicas");
  ASSERT_TRUE(replicas);
  json replica = json::parse(replicas->body)[0];
  const std::string rid = replica["id"];
  EXPECT_THAT(rid, ::testing::MatchesRegex("tao-one-[0-9a-f]{6}"));
  auto readiness = Get("/deployments/tao-one/readiness");
  ASSERT_TRUE(readiness);
  EXPECT_TRUE(json::parse(readiness->body).contains(rid));
  auto terminations = Get("/deployments/tao-one/termination");
  ASSERT_TRUE(terminations);
  EXPECT_EQ(json::parse(terminations->body), json::object());
  auto events = Get("/deployments/tao-one/events");
  ASSERT_TRUE(events);
  EXPECT_EQ(json::parse(events->body)[0]["reason"], "Created");
  auto unknown_replica_log = Get("/deployments/tao-one/replicas/nope/log");
  ASSERT_TRUE(unknown_replica_log);
  EXPECT_EQ(unknown_replica_log->status, 404);

  auto missing = Get("/deployments/tao-two");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(ErrorOf(missing)["code"], "ResourceNotFound");
  EXPECT_EQ(ErrorOf(missing)["message"], "deployment tao-two not found");
}

TEST_F(FakeLeptonApiTest, DeleteShowsDeletingThenNotFound) {
  ASSERT_EQ(Post("/deployments", DeploymentBody("tao-gone"))->status, 201);
  auto deleted = Delete("/deployments/tao-gone");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200);
  EXPECT_EQ(deleted->body, "");
  auto during = Get("/deployments/tao-gone");
  ASSERT_TRUE(during);
  // (delete_delay is 100 ms; a slow machine may already be past it.)
  if (during->status == 200) {
    EXPECT_EQ(json::parse(during->body)["status"]["state"], "Deleting");
  }
  int status = 0;
  for (int i = 0; i < 200 && status != 404; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    status = Get("/deployments/tao-gone")->status;
  }
  EXPECT_EQ(status, 404);
  EXPECT_EQ(Delete("/deployments/tao-gone")->status, 404);
  // The name is free again.
  EXPECT_EQ(Post("/deployments", DeploymentBody("tao-gone"))->status, 201);
}

TEST_F(FakeLeptonApiTest, TheThirtySixLimitIsAKnob) {
  StartServer(36);
  const std::string name36 = "tao-" + std::string(32, 'a');
  EXPECT_EQ(Post("/deployments", DeploymentBody(name36))->status, 201);
  EXPECT_EQ(Post("/deployments", DeploymentBody(name36 + "b"))->status, 400);
}

TEST_F(FakeLeptonApiTest, UserSecretsNeverShowTheirValues) {
  auto posted =
      Post("/usersecrets",
           json::array({{{"name", "hf-token"}, {"value", "canary-hf-1"}}}));
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 200);
  auto listed = Get("/usersecrets");
  ASSERT_TRUE(listed);
  EXPECT_EQ(json::parse(listed->body),
            json::parse(R"([{"name":"hf-token","tags":[],"owner":"",
                             "visibility":"private"}])"));
  EXPECT_EQ(server_->workspace().SecretValue("hf-token"), "canary-hf-1");
  EXPECT_THAT(server_->requests().Entries().dump(),
              ::testing::Not(HasSubstr("canary-hf-1")));

  json uses = DeploymentBody("tao-secret-user");
  uses["spec"]["envs"] = {{{"name", "HF_TOKEN"},
                           {"value_from", {{"secret_name_ref", "hf-token"}}}}};
  ASSERT_EQ(Post("/deployments", uses)->status, 201);
  auto in_use = Delete("/usersecrets/hf-token");
  ASSERT_TRUE(in_use);
  EXPECT_EQ(in_use->status, 400);
  EXPECT_EQ(ErrorOf(in_use)["message"],
            "secret hf-token is in use: deployment tao-secret-user");
  ASSERT_EQ(Delete("/deployments/tao-secret-user")->status, 200);
  int status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    status = Delete("/usersecrets/hf-token")->status;
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(Delete("/usersecrets/hf-token")->status, 404);
  EXPECT_EQ(Post("/usersecrets", {{"name", "x"}})->status, 400);
}

TEST_F(FakeLeptonApiTest, ImagePullSecrets) {
  const json secret = {{"metadata", {{"name", "ngc"}, {"id", "ngc"}}},
                       {"spec",
                        {{"registry_server", "https://nvcr.io"},
                         {"username", "$oauthtoken"},
                         {"password", "canary-ngc-1"}}}};
  auto created = Post("/imagepullsecrets", secret);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201);
  auto again = Post("/imagepullsecrets", secret);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(ErrorOf(again)["code"], "ResourceConflict");
  auto listed = Get("/imagepullsecrets");
  ASSERT_TRUE(listed);
  json list = json::parse(listed->body);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["metadata"]["id"], "ngc");
  EXPECT_THAT(listed->body, ::testing::Not(HasSubstr("canary-ngc-1")));
  EXPECT_EQ((*server_->workspace().ImagePullSecret("ngc"))["password"],
            "canary-ngc-1");
  EXPECT_THAT(server_->requests().Entries().dump(),
              ::testing::Not(HasSubstr("canary-ngc-1")));
  EXPECT_EQ(Delete("/imagepullsecrets/ngc")->status, 200);
  EXPECT_EQ(Delete("/imagepullsecrets/ngc")->status, 404);
}

TEST_F(FakeLeptonApiTest, NodeGroupsList) {
  auto groups = Get("/dedicated-node-groups");
  ASSERT_TRUE(groups);
  EXPECT_EQ(json::parse(groups->body)[0]["metadata"]["id"], "fake-node-group");
}

TEST_F(FakeLeptonApiTest, FaultsFailTheNextRequests) {
  auto added = Control("/_fake/faults", {{"path", "/workspace"},
                                         {"count", 2},
                                         {"status", 503},
                                         {"message", "try later"}});
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 200);
  for (int i = 0; i < 2; ++i) {
    auto failed = Get("/workspace");
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->status, 503);
    EXPECT_EQ(ErrorOf(failed)["message"], "try later");
  }
  EXPECT_EQ(Get("/workspace")->status, 200);
  EXPECT_EQ(Control("/_fake/faults", {{"status", 200}})->status, 400);
}

TEST_F(FakeLeptonApiTest, APausedWorkspaceRefusesWrites) {
  ASSERT_EQ(Control("/_fake/workspace", {{"paused", true}})->status, 200);
  auto refused = Post("/deployments", DeploymentBody("tao-paused"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(ErrorOf(refused)["message"], "workspace is paused or terminated");
  auto info = Get("/workspace");
  ASSERT_TRUE(info);
  EXPECT_EQ(json::parse(info->body)["workspace_state"], "paused");
  ASSERT_EQ(Control("/_fake/workspace", {{"paused", false}})->status, 200);
  EXPECT_EQ(Post("/deployments", DeploymentBody("tao-paused"))->status, 201);
}

TEST_F(FakeLeptonApiTest, TheRequestLogHasHeaderNamesNotValues) {
  httplib::Headers headers = Auth();
  headers.emplace("origin", "https://gateway.dgxc-lepton.nvidia.com");
  ASSERT_TRUE(client_->Post(Path("/deployments").c_str(), headers,
                            DeploymentBody("tao-logged").dump(),
                            "application/json"));
  auto log = client_->Get("/_fake/requests");
  ASSERT_TRUE(log);
  json entries = json::parse(log->body);
  ASSERT_EQ(entries.size(), 1u);
  const json& entry = entries[0];
  EXPECT_EQ(entry["method"], "POST");
  EXPECT_EQ(entry["path"], "/api/v2/workspaces/ws1/deployments");
  EXPECT_THAT(entry["headers"].get<std::vector<std::string>>(),
              ::testing::IsSupersetOf({"Authorization", "origin"}));
  EXPECT_EQ(json::parse(entry["body"].get<std::string>()),
            DeploymentBody("tao-logged"));
  EXPECT_THAT(log->body, ::testing::Not(HasSubstr(kToken)));
  ASSERT_TRUE(client_->Delete("/_fake/requests"));
  EXPECT_EQ(server_->requests().Entries().size(), 0u);
}

TEST_F(FakeLeptonApiTest, NoSecretReachesTheFakesOwnOutput) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  Post("/usersecrets",
       json::array({{{"name", "s1"}, {"value", "canary-out"}}}));
  Post("/imagepullsecrets", {{"metadata", {{"name", "p1"}}},
                             {"spec",
                              {{"registry_server", "r"},
                               {"username", "u"},
                               {"password", "canary-out-2"}}}});
  json body = DeploymentBody("tao-out");
  body["spec"]["envs"] = {
      {{"name", "HF_TOKEN"}, {"value_from", {{"secret_name_ref", "s1"}}}}};
  body["spec"]["unknown_field"] = "canary-out-3";
  Post("/deployments", body);
  Post("/usersecrets", "canary-out-4 not json");
  absl::SleepFor(absl::Milliseconds(300));  // the runner's first attempts
  const std::string out = ::testing::internal::GetCapturedStdout() +
                          ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(out, ::testing::Not(HasSubstr("canary-out")));
  EXPECT_THAT(out, HasSubstr("spec.unknown_field"));  // its name only
}

}  // namespace
}  // namespace tao::fakes::lepton
