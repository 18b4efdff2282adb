// Unit tests of the fake's pure pieces: messages and shapes that the
// conformance suite's real clients also check end to end.
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/kubernetes/job_controller.h"
#include "tests/fakes/kubernetes/object_defaults.h"
#include "tests/fakes/kubernetes/object_store.h"
#include "tests/fakes/kubernetes/pod_env.h"
#include "tests/fakes/kubernetes/pod_state.h"
#include "tests/fakes/kubernetes/schema.h"
#include "tests/fakes/kubernetes/selectors.h"
#include "tests/fakes/kubernetes/status.h"
#include "tests/fakes/kubernetes/validation.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

json MinimalJob(const std::string& name) {
  return {
      {"apiVersion", "batch/v1"},
      {"kind", "Job"},
      {"metadata", {{"name", name}}},
      {"spec",
       {{"template",
         {{"spec",
           {{"restartPolicy", "Never"},
            {"containers",
             json::array({{{"name", "main"}, {"image", "busybox"}}})}}}}}}}};
}

TEST(KubeFakeValidationTest, NamesFollowTheirRules) {
  EXPECT_THAT(IsDns1123Subdomain("a.b-c"), IsEmpty());
  EXPECT_THAT(IsDns1123Subdomain("Bad_Name"), ::testing::SizeIs(1));
  EXPECT_THAT(IsDns1035Label("svc-1"), IsEmpty());
  EXPECT_THAT(IsDns1035Label("1svc"), ::testing::SizeIs(1));
  EXPECT_THAT(IsDns1123Subdomain(std::string(254, 'a')),
              ElementsAre("must be no more than 253 characters"));
  EXPECT_THAT(IsValidLabelValue(""), IsEmpty());
  EXPECT_THAT(IsQualifiedName("batch.kubernetes.io/job-name"), IsEmpty());
  EXPECT_THAT(IsQualifiedName("-x"), ::testing::SizeIs(1));
}

TEST(KubeFakeStatusTest, InvalidJoinsSeveralErrorsAndUsesTheKind) {
  ApiError error =
      InvalidObject(JobResource(), "x",
                    {Required("spec.template.spec.containers", ""),
                     NotSupported("spec.template.spec.restartPolicy", "Always",
                                  {"OnFailure", "Never"})});
  EXPECT_EQ(error.code, 422);
  EXPECT_EQ(error.body["message"],
            "Job.batch \"x\" is invalid: [spec.template.spec.containers: "
            "Required value, spec.template.spec.restartPolicy: Unsupported "
            "value: \"Always\": supported values: \"OnFailure\", \"Never\"]");
  EXPECT_EQ(error.body["details"]["kind"], "Job");
  EXPECT_EQ(error.body["details"]["causes"][1]["reason"],
            "FieldValueNotSupported");
  EXPECT_EQ(error.body["apiVersion"], "v1");
}

TEST(KubeFakeStatusTest, NotFoundNamesTheResourceAndCoreGroupIsEmpty) {
  ApiError error = NotFound(ServiceResource(), "s");
  EXPECT_EQ(error.body["message"], "services \"s\" not found");
  EXPECT_EQ(error.body["details"],
            json({{"name", "s"}, {"group", ""}, {"kind", "services"}}));
  EXPECT_EQ(TooManyRequests(2).headers.at("Retry-After"), "2");
}

TEST(KubeFakeSchemaTest, FindsUnknownFieldsWithTheirPaths) {
  json job = MinimalJob("x");
  job["spec"]["foo"] = 1;
  job["spec"]["template"]["spec"]["containers"][0]["bar"] = true;
  job["metadata"]["labels"] = {{"free", "form"}};
  EXPECT_THAT(UnknownFields("Job", job),
              ElementsAre("spec.foo", "spec.template.spec.containers[0].bar"));
  EXPECT_THAT(UnknownFields("Job", MinimalJob("x")), IsEmpty());
}

TEST(KubeFakeSelectorsTest, EqualitySetAndExistence) {
  json labels = {{"job-name", "x"}, {"tier", "gpu"}};
  auto matches = [&](const std::string& text) {
    absl::StatusOr<LabelSelector> s = LabelSelector::Parse(text);
    EXPECT_TRUE(s.ok()) << text;
    return s->Matches(labels);
  };
  EXPECT_TRUE(matches(""));
  EXPECT_TRUE(matches("job-name=x"));
  EXPECT_TRUE(matches("job-name==x,tier"));
  EXPECT_FALSE(matches("job-name!=x"));
  EXPECT_TRUE(matches("tier in (cpu,gpu)"));
  EXPECT_FALSE(matches("tier notin (gpu)"));
  EXPECT_FALSE(matches("!tier"));
  EXPECT_FALSE(FieldSelector::Parse("spec.foo=1").ok());
  absl::StatusOr<FieldSelector> f = FieldSelector::Parse("metadata.name=j");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->Matches({{"metadata", {{"name", "j"}}}}));
}

TEST(KubeFakeObjectStoreTest, EveryWriteBumpsTheResourceVersionAndIsAnEvent) {
  ObjectStore store;
  int64_t start = store.resource_version();
  json a = store.Put("jobs", "ns", "a", {{"metadata", {{"name", "a"}}}}, true);
  store.Put("jobs", "ns", "a", a, false);
  store.Remove("jobs", "ns", "a");
  std::vector<WatchEvent> events = store.EventsAfter(start);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "ADDED");
  EXPECT_EQ(events[1].type, "MODIFIED");
  EXPECT_EQ(events[2].type, "DELETED");
  EXPECT_EQ(events[2].object["metadata"]["resourceVersion"],
            std::to_string(store.resource_version()));
  EXPECT_THAT(store.EventsAfter(store.resource_version()), IsEmpty());
  EXPECT_EQ(store.Get("jobs", "ns", "a"), nullptr);
}

TEST(KubeFakeJobDefaultsTest, SelectorLabelsAndDefaults) {
  json job = MinimalJob("x");
  DefaultJob(job, "uid-1");
  EXPECT_EQ(job["spec"]["backoffLimit"], 6);
  EXPECT_EQ(job["spec"]["selector"]["matchLabels"],
            json({{"batch.kubernetes.io/controller-uid", "uid-1"}}));
  EXPECT_EQ(job["spec"]["template"]["metadata"]["labels"]["job-name"], "x");
  EXPECT_THAT(ValidateJob(job), IsEmpty());
  json no_policy = MinimalJob("x");
  no_policy["spec"]["template"]["spec"].erase("restartPolicy");
  DefaultJob(no_policy, "uid-1");
  ASSERT_EQ(ValidateJob(no_policy).size(), 1u);
  EXPECT_EQ(ValidateJob(no_policy)[0].Message(),
            "spec.template.spec.restartPolicy: Required value: valid values: "
            "\"OnFailure\", \"Never\"");
}

TEST(KubeFakeJobControllerTest, OnePodThenCompleteOrFailed) {
  json job = MinimalJob("x");
  job["metadata"]["uid"] = "u";
  job["metadata"]["namespace"] = "default";
  DefaultJob(job, "u");
  job["spec"]["backoffLimit"] = 0;
  absl::Time now = absl::Now();
  JobDecision first = ReconcileJob(job, {}, now);
  EXPECT_TRUE(first.create_pod);
  json pod = NewJobPod(job, "abcde");
  EXPECT_EQ(pod["metadata"]["name"], "x-abcde");
  EXPECT_TRUE(OwnedBy(pod, "u"));

  absl::StatusOr<PodState> done =
      PodStateFromScript({{"phase", "Succeeded"}}, now);
  ASSERT_TRUE(done.ok());
  pod["status"] = BuildPodStatus(pod, *done, now);
  JobDecision complete = ReconcileJob(job, {pod}, now);
  EXPECT_FALSE(complete.create_pod);
  EXPECT_EQ(complete.status["succeeded"], 1);
  EXPECT_EQ(complete.status["conditions"][1]["type"], "Complete");
  EXPECT_TRUE(complete.status.contains("completionTime"));

  absl::StatusOr<PodState> oom = PodStateFromScript(
      {{"terminated", {{"exitCode", 137}, {"reason", "OOMKilled"}}}}, now);
  ASSERT_TRUE(oom.ok());
  EXPECT_EQ(oom->phase, "Failed");
  pod["status"] = BuildPodStatus(pod, *oom, now);
  JobDecision failed = ReconcileJob(job, {pod}, now);
  EXPECT_EQ(failed.status["conditions"][1]["reason"], "BackoffLimitExceeded");
  EXPECT_FALSE(failed.status.contains("completionTime"));

  job["spec"]["backoffLimit"] = 1;
  EXPECT_TRUE(ReconcileJob(job, {pod}, now).create_pod);  // a retry
}

TEST(KubeFakePodStateTest, ScriptsAreCheckedAndCompleted) {
  absl::Time now = absl::Now();
  EXPECT_FALSE(PodStateFromScript({{"phase", "Weird"}}, now).ok());
  absl::StatusOr<PodState> pending = PodStateFromScript(json::object(), now);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->phase, "Running");
  absl::StatusOr<PodState> waiting =
      PodStateFromScript({{"waiting", {{"reason", "ImagePullBackOff"}}}}, now);
  ASSERT_TRUE(waiting.ok());
  EXPECT_EQ(waiting->phase, "Pending");
  EXPECT_FALSE(waiting->running);
}

json PodWithEnv(json env, json env_from) {
  return {{"metadata", {{"name", "p"}, {"namespace", "ml"}}},
          {"spec",
           {{"containers",
             {{{"name", "main"}, {"env", env}, {"envFrom", env_from}}}}}}};
}

TEST(PodEnvTest, EnvFromSecretsComeFirstAndEnvWins) {
  const json secret = {{"data",
                        {{"HF_TOKEN", "aGZfc2VjcmV0"},  // hf_secret
                         {"A", "ZnJvbS1zZWNyZXQ="}}}};
  PodLaunch launch = ResolvePodLaunch(
      PodWithEnv({{{"name", "A"}, {"value", "from-env"}},
                  {{"name", "B"},
                   {"valueFrom",
                    {{"secretKeyRef", {{"name", "s"}, {"key", "HF_TOKEN"}}}}}}},
                 {{{"secretRef", {{"name", "s"}}}}}),
      [&](const std::string& name) { return name == "s" ? &secret : nullptr; });
  EXPECT_EQ(launch.config_error, "");
  using Env = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(
      launch.env,
      (Env{{"A", "from-env"}, {"HF_TOKEN", "hf_secret"}, {"B", "hf_secret"}}));
}

TEST(PodEnvTest, AMissingSecretOrKeyIsAConfigError) {
  const json secret = {{"data", json::object()}};
  auto lookup = [&](const std::string& name) {
    return name == "s" ? &secret : nullptr;
  };
  EXPECT_EQ(ResolvePodLaunch(PodWithEnv(json::array(),
                                        {{{"secretRef", {{"name", "gone"}}}}}),
                             lookup)
                .config_error,
            "secret \"gone\" not found");
  EXPECT_EQ(
      ResolvePodLaunch(
          PodWithEnv({{{"name", "B"},
                       {"valueFrom",
                        {{"secretKeyRef", {{"name", "s"}, {"key", "K"}}}}}}},
                     json::array()),
          lookup)
          .config_error,
      "couldn't find key K in Secret ml/s");
  EXPECT_EQ(
      ResolvePodLaunch(
          PodWithEnv(json::array(),
                     {{{"secretRef", {{"name", "gone"}, {"optional", true}}}}}),
          lookup)
          .config_error,
      "");
}

}  // namespace
}  // namespace tao::fakes::kubernetes
