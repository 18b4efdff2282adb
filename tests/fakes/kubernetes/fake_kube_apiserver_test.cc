// The fake in-process over plain HTTP (as driver tests will use it): the
// wire details no real client in the conformance suite pins down.
#include "tests/fakes/kubernetes/fake_kube_apiserver.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

constexpr char kJobs[] = "/apis/batch/v1/namespaces/default/jobs";

json Job(const std::string& name) {
  return {
      {"apiVersion", "batch/v1"},
      {"kind", "Job"},
      {"metadata", {{"name", name}}},
      {"spec",
       {{"backoffLimit", 0},
        {"template",
         {{"spec",
           {{"restartPolicy", "Never"},
            {"containers",
             json::array({{{"name", "main"}, {"image", "busybox"}}})}}}}}}}};
}

class FakeKubeApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakeKubeApiServer::Options options;
    options.namespaces = {"default", "ns1"};
    options.max_watch = absl::Seconds(1);
    auto server = FakeKubeApiServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  httplib::Result Post(const std::string& path, const json& body,
                       const std::string& type = "application/json") {
    return client_->Post(path.c_str(), body.dump(), type.c_str());
  }

  std::unique_ptr<FakeKubeApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(FakeKubeApiServerTest, CreateRunsOnePodAndScriptsItsState) {
  auto created = Post(kJobs, Job("j"));
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201);
  EXPECT_EQ(json::parse(created->body)["status"], json::object());
  absl::StatusOr<std::string> pod =
      server_->cluster().JobPodName("default", "j");
  ASSERT_TRUE(pod.ok()) << pod.status();
  auto scripted = Post("/_fake/pods/default/" + *pod,
                       {{"phase", "Running"}, {"logs", "hi"}});
  ASSERT_TRUE(scripted);
  EXPECT_EQ(scripted->status, 200);
  auto log = client_->Get(
      ("/api/v1/namespaces/default/pods/" + *pod + "/log").c_str());
  ASSERT_TRUE(log);
  EXPECT_EQ(log->body, "hi");
  EXPECT_EQ(log->get_header_value("Content-Type"), "text/plain");
  ASSERT_TRUE(Post("/_fake/pods/default/" + *pod,
                   {{"phase", "Running"}, {"logs", "a\nb\nc\n"}}));
  auto tail = client_->Get(
      ("/api/v1/namespaces/default/pods/" + *pod + "/log?tailLines=2").c_str());
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->body, "b\nc\n");
  auto job = client_->Get((std::string(kJobs) + "/j").c_str());
  ASSERT_TRUE(job);
  EXPECT_EQ(json::parse(job->body)["status"]["active"], 1);
}

TEST_F(FakeKubeApiServerTest, WatchStreamsEventsAndEnds) {
  ASSERT_TRUE(Post(kJobs, Job("j")));
  std::string body;
  auto watch = client_->Get(
      "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1",
      [&](const char* data, size_t length) {
        body.append(data, length);
        return true;
      });
  ASSERT_TRUE(watch);
  // From no resourceVersion: the current pod, as ADDED; then nothing.
  json event = json::parse(body.substr(0, body.find('\n')));
  EXPECT_EQ(event["type"], "ADDED");
  EXPECT_EQ(event["object"]["kind"], "Pod");
}

TEST_F(FakeKubeApiServerTest, WireErrors) {
  auto mux = client_->Get("/nope");
  ASSERT_TRUE(mux);
  EXPECT_EQ(mux->status, 404);
  EXPECT_EQ(mux->body, "404 page not found\n");

  auto protobuf = Post(kJobs, Job("j"), "application/vnd.kubernetes.protobuf");
  ASSERT_TRUE(protobuf);
  EXPECT_EQ(protobuf->status, 415);

  json other_ns = Job("j");
  other_ns["metadata"]["namespace"] = "ns1";
  auto mismatch = Post(kJobs, other_ns);
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->status, 400);
  EXPECT_EQ(json::parse(mismatch->body)["message"],
            "the namespace of the provided object does not match the "
            "namespace sent on the request");

  auto no_ns = Post("/apis/batch/v1/namespaces/ghost/jobs", Job("j"));
  ASSERT_TRUE(no_ns);
  EXPECT_EQ(no_ns->status, 404);
  EXPECT_EQ(json::parse(no_ns->body)["message"],
            "namespaces \"ghost\" not found");

  auto patch = client_->Patch((std::string(kJobs) + "/j").c_str(), "{}",
                              "application/merge-patch+json");
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->status, 405);
}

TEST_F(FakeKubeApiServerTest, WrongJsonTypesAreBadRequests) {
  json job = Job("j");
  job["metadata"]["name"] = 7;
  auto created = Post(kJobs, job);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 400);
  EXPECT_EQ(json::parse(created->body)["reason"], "BadRequest");
  auto script = Post("/_fake/faults", {{"path", ".*"}, {"code", "500"}});
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 400);
}

TEST_F(FakeKubeApiServerTest, WarnsOnUnknownFieldsByDefault) {
  json job = Job("j");
  job["spec"]["foo"] = 1;
  auto created = Post(kJobs, job);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201);
  EXPECT_EQ(created->get_header_value("Warning"),
            "299 - \"unknown field \\\"spec.foo\\\"\"");
}

TEST_F(FakeKubeApiServerTest, DeleteWithoutPolicyOrphansAndWarns) {
  ASSERT_TRUE(Post(kJobs, Job("j")));
  auto deleted = client_->Delete((std::string(kJobs) + "/j").c_str());
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200);
  EXPECT_THAT(deleted->get_header_value("Warning"),
              ::testing::HasSubstr("child pods are preserved by default"));
  json body = json::parse(deleted->body);
  EXPECT_EQ(body["metadata"]["finalizers"], json::array({"orphan"}));
  EXPECT_TRUE(body["metadata"].contains("deletionTimestamp"));
}

TEST_F(FakeKubeApiServerTest, FaultsAndTheRequestLog) {
  ASSERT_TRUE(Post("/_fake/faults",
                   {{"method", "GET"}, {"path", ".*/jobs/j"}, {"code", 409}}));
  auto conflict = client_->Get((std::string(kJobs) + "/j").c_str());
  ASSERT_TRUE(conflict);
  EXPECT_EQ(conflict->status, 409);
  EXPECT_EQ(json::parse(conflict->body)["reason"], "Conflict");
  auto after = client_->Get((std::string(kJobs) + "/j").c_str());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 404);  // the fault was used up

  auto bad = Post("/_fake/faults", {{"path", ".*"}, {"code", 418}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);

  json log = server_->requests().Entries();
  ASSERT_EQ(log.size(), 2u);  // control requests are not recorded
  EXPECT_EQ(log[0]["method"], "GET");
  EXPECT_EQ(log[0]["path"], std::string(kJobs) + "/j");
  EXPECT_EQ(log[0]["authorization"], false);
}

}  // namespace
}  // namespace tao::fakes::kubernetes
