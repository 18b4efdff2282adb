// What the Job and pod objects the API server returns mean for a service.
// The objects are shaped as a real server sends them
// (k8s-fake-fidelity.md §5).
#include "platforms/kubernetes/workload_status.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::kubernetes {
namespace {

using json = nlohmann::json;
using Phase = RuntimeState::Phase;
using ::testing::HasSubstr;

json ActiveJob() {
  return json::parse(R"({"kind":"Job","apiVersion":"batch/v1",
    "metadata":{"name":"tao-x","namespace":"default"},
    "status":{"active":1,"startTime":"2026-12-02T10:00:00Z",
              "uncountedTerminatedPods":{}}})");
}

json PodWith(const std::string& phase, const json& state,
             const json& last_state = json::object()) {
  json pod = json::parse(R"({"kind":"Pod","apiVersion":"v1",
    "metadata":{"name":"tao-x-ab12c","creationTimestamp":"2026-12-02T10:00:01Z"},
    "status":{}})");
  pod["status"]["phase"] = phase;
  pod["status"]["containerStatuses"] = {
      {{"name", "service"},
       {"image", "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl"},
       {"imageID", ""},
       {"ready", false},
       {"restartCount", 0},
       {"state", state},
       {"lastState", last_state}}};
  return pod;
}

TEST(WorkloadStatusTest, RunningContainerRuns) {
  json pod = PodWith("Running",
                     {{"running", {{"startedAt", "2026-12-02T10:00:05Z"}}}});
  EXPECT_EQ(WorkloadState(ActiveJob(), &pod).phase, Phase::kRunning);
}

TEST(WorkloadStatusTest, NoPodYetIsPending) {
  RuntimeState state = WorkloadState(ActiveJob(), nullptr);
  EXPECT_EQ(state.phase, Phase::kPending);
}

TEST(WorkloadStatusTest, UnschedulablePodIsPendingWithTheSchedulersWords) {
  json pod = json::parse(R"({"metadata":{"name":"tao-x-ab12c"},
    "status":{"phase":"Pending","conditions":[{"type":"PodScheduled",
      "status":"False","reason":"Unschedulable",
      "message":"0/1 nodes are available: 1 Insufficient nvidia.com/gpu."}]}})");
  RuntimeState state = WorkloadState(ActiveJob(), &pod);
  EXPECT_EQ(state.phase, Phase::kPending);
  EXPECT_THAT(state.detail, HasSubstr("Insufficient nvidia.com/gpu"));
}

TEST(WorkloadStatusTest, ContainerCreatingIsPending) {
  json pod =
      PodWith("Pending", {{"waiting", {{"reason", "ContainerCreating"}}}});
  RuntimeState state = WorkloadState(ActiveJob(), &pod);
  EXPECT_EQ(state.phase, Phase::kPending);
  EXPECT_THAT(state.detail, HasSubstr("ContainerCreating"));
}

TEST(WorkloadStatusTest, ImagePullFailuresFailNamingTheImage) {
  for (const char* reason : {"ErrImagePull", "ImagePullBackOff",
                             "InvalidImageName", "ErrImageNeverPull"}) {
    json pod = PodWith(
        "Pending", {{"waiting",
                     {{"reason", reason},
                      {"message", "Back-off pulling image \"nvcr.io/x\""}}}});
    RuntimeState state = WorkloadState(ActiveJob(), &pod);
    EXPECT_EQ(state.phase, Phase::kExited) << reason;
    EXPECT_FALSE(state.has_exit_code);
    EXPECT_THAT(
        state.detail,
        HasSubstr("image nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl "
                  "cannot be pulled"));
    EXPECT_THAT(state.detail, HasSubstr(reason));
  }
}

TEST(WorkloadStatusTest, MissingSecretFailsTheStart) {
  json pod =
      PodWith("Pending", {{"waiting",
                           {{"reason", "CreateContainerConfigError"},
                            {"message", "secret \"tao-x\" not found"}}}});
  RuntimeState state = WorkloadState(ActiveJob(), &pod);
  EXPECT_EQ(state.phase, Phase::kExited);
  EXPECT_THAT(state.detail, HasSubstr("secret \"tao-x\" not found"));
}

TEST(WorkloadStatusTest, TerminatedContainerGivesItsExitCode) {
  json pod = PodWith("Failed", {{"terminated",
                                 {{"exitCode", 137},
                                  {"reason", "OOMKilled"},
                                  {"startedAt", "2026-12-02T10:00:05Z"},
                                  {"finishedAt", "2026-12-02T10:01:05Z"}}}});
  RuntimeState state = WorkloadState(ActiveJob(), &pod);
  EXPECT_EQ(state.phase, Phase::kExited);
  ASSERT_TRUE(state.has_exit_code);
  EXPECT_EQ(state.exit_code, 137);
  EXPECT_THAT(state.detail, HasSubstr("OOMKilled"));
}

TEST(WorkloadStatusTest, CrashLoopGivesTheLastExitCode) {
  json pod =
      PodWith("Running",
              {{"waiting",
                {{"reason", "CrashLoopBackOff"}, {"message", "back-off 10s"}}}},
              {{"terminated", {{"exitCode", 3}, {"reason", "Error"}}}});
  RuntimeState state = WorkloadState(ActiveJob(), &pod);
  EXPECT_EQ(state.phase, Phase::kExited);
  ASSERT_TRUE(state.has_exit_code);
  EXPECT_EQ(state.exit_code, 3);
}

TEST(WorkloadStatusTest, FailedJobSaysWhyWithThePodsExitCode) {
  json job = ActiveJob();
  job["status"] = json::parse(R"({"failed":1,"conditions":[
    {"type":"FailureTarget","status":"True","reason":"BackoffLimitExceeded"},
    {"type":"Failed","status":"True","reason":"BackoffLimitExceeded",
     "message":"Job has reached the specified backoff limit"}]})");
  json pod = PodWith("Failed",
                     {{"terminated", {{"exitCode", 1}, {"reason", "Error"}}}});
  RuntimeState state = WorkloadState(job, &pod);
  EXPECT_EQ(state.phase, Phase::kExited);
  EXPECT_EQ(state.exit_code, 1);
  EXPECT_THAT(state.detail, HasSubstr("BackoffLimitExceeded"));
  // Without a pod (removed by then) the Job's words remain.
  state = WorkloadState(job, nullptr);
  EXPECT_EQ(state.phase, Phase::kExited);
  EXPECT_THAT(state.detail, HasSubstr("specified backoff limit"));
}

TEST(WorkloadStatusTest, CompletedJobExitedZero) {
  json job = ActiveJob();
  job["status"] = json::parse(R"({"succeeded":1,"conditions":[
    {"type":"SuccessCriteriaMet","status":"True"},
    {"type":"Complete","status":"True","reason":"CompletionsReached"}]})");
  RuntimeState state = WorkloadState(job, nullptr);
  EXPECT_EQ(state.phase, Phase::kExited);
  EXPECT_TRUE(state.has_exit_code);
  EXPECT_EQ(state.exit_code, 0);
}

TEST(WorkloadStatusTest, NewestPodIsTheLastCreated) {
  json list = json::parse(R"({"kind":"PodList","apiVersion":"v1","items":[
    {"metadata":{"name":"a","creationTimestamp":"2026-12-02T10:00:01Z"}},
    {"metadata":{"name":"b","creationTimestamp":"2026-12-02T10:05:00Z"}},
    {"metadata":{"name":"c","creationTimestamp":"2026-12-02T10:02:00Z"}}]})");
  const json* newest = NewestPod(list);
  ASSERT_NE(newest, nullptr);
  EXPECT_EQ((*newest)["metadata"]["name"], "b");
  EXPECT_EQ(NewestPod(json::parse(R"({"items":[]})")), nullptr);
}

}  // namespace
}  // namespace tao::platforms::kubernetes
