#include "tests/platforms/conformance/platform_conformance.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "tests/support/http_get.h"
#include "tests/support/random_job_id.h"

namespace tao::platforms::conformance {
namespace {

using Phase = RuntimeState::Phase;
using ::testing::HasSubstr;

const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kPending:
      return "pending";
    case Phase::kRunning:
      return "running";
    case Phase::kExited:
      return "exited";
    case Phase::kMissing:
      return "missing";
    case Phase::kUnknown:
      return "unknown";
  }
  return "?";
}

bool Runs(Phase phase) {
  return phase == Phase::kPending || phase == Phase::kRunning;
}

// ListOwned lists the launched workload with a placement Terminate can use
// (UNIMPLEMENTED counts as a failure: a driver must be able to tell what
// it started).
void ExpectOwned(Platform& platform, const LaunchSpec& spec) {
  absl::StatusOr<std::vector<OwnedWorkload>> listed =
      platform.ListOwned(spec.server_instance);
  ASSERT_TRUE(listed.ok()) << "ListOwned: " << listed.status();
  auto found = std::find_if(
      listed->begin(), listed->end(),
      [&](const OwnedWorkload& w) { return w.job_id == spec.job_id; });
  ASSERT_NE(found, listed->end()) << "ListOwned lacks " << spec.job_id;
  EXPECT_EQ(found->placement.job_id, spec.job_id);
  EXPECT_EQ(found->network_arch, spec.network_arch);
}

// After a refused Launch: no workload of that job id runs.
void ExpectNothingRuns(Platform& platform, const LaunchSpec& spec) {
  absl::StatusOr<std::vector<OwnedWorkload>> listed =
      platform.ListOwned(spec.server_instance);
  ASSERT_TRUE(listed.ok()) << "ListOwned: " << listed.status();
  for (const OwnedWorkload& workload : *listed) {
    EXPECT_NE(workload.job_id, spec.job_id)
        << "a refused launch left a workload behind: " << workload.detail;
  }
}

}  // namespace

LaunchSpec ReferenceBackendSpec(const std::string& execution_backend,
                                const std::string& server_instance) {
  LaunchSpec spec;
  spec.job_id = tests::RandomJobId();
  spec.network_arch = "cosmos-rl";
  const std::string job_id = spec.job_id;
  spec.inner_command = [job_id](int port) -> absl::StatusOr<std::string> {
    return absl::StrCat(
        "exec cosmos-rl-inference-microservice --job '{\"job_id\":\"", job_id,
        "\",\"specs\":{\"model_path\":\"hf_model://nvidia/test\"},"
        "\"neural_network_name\":\"cosmos-rl\"}' --docker_env_vars '{}' "
        "--port ",
        port);
  };
  spec.env = {{"TAO_EXECUTION_BACKEND", execution_backend},
              {"TAO_API_JOB_ID", spec.job_id}};
  spec.secret_env = {{"HF_TOKEN", "hf_conformance_secret"}};
  spec.server_instance = server_instance;
  return spec;
}

void CheckLifecycle(Platform& platform, const LaunchSpec& spec,
                    absl::Duration patience) {
  std::optional<Placement> reported;
  absl::StatusOr<Placement> placement =
      platform.Launch(spec, [&](const ProgressEvent& event) {
        if (event.placement.has_value() && !reported.has_value()) {
          reported = event.placement;
        }
      });
  ASSERT_TRUE(placement.ok()) << "Launch: " << placement.status();
  EXPECT_EQ(placement->job_id, spec.job_id);
  // A restart must find the workload: its ids are reported before Launch
  // returns (ProgressEvent::placement).
  ASSERT_TRUE(reported.has_value()) << "Launch reported no placement";
  EXPECT_EQ(reported->job_id, spec.job_id);
  EXPECT_FALSE(placement->host_url.empty()) << "Launch gave no host_url";
  EXPECT_EQ(platform.HostPortScopeOf(*placement), platform.HostPortScope(spec))
      << "the scope of a placement must be the scope of its spec";

  const absl::Time give_up = absl::Now() + patience;
  absl::StatusOr<RuntimeState> state = platform.Inspect(*placement);
  while (state.ok() && state->phase == Phase::kPending &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
    state = platform.Inspect(*placement);
  }
  ASSERT_TRUE(state.ok()) << "Inspect: " << state.status();
  EXPECT_EQ(state->phase, Phase::kRunning)
      << PhaseName(state->phase) << ": " << state->detail;

  // host_url reaches the workload itself (the reference backend's
  // liveness route answers once its process listens), with the headers
  // its endpoint takes.
  absl::StatusOr<std::vector<std::string>> headers =
      platform.EndpointHeaders(*placement);
  ASSERT_TRUE(headers.ok()) << "EndpointHeaders: " << headers.status();
  absl::StatusOr<tests::HttpAnswer> alive = tests::HttpGetUntilOk(
      placement->host_url + "/api/v1/health/liveness", patience, *headers);
  EXPECT_TRUE(alive.ok()) << "the workload does not answer at "
                          << placement->host_url << ": " << alive.status();

  Placement reachable = *placement;
  absl::StatusOr<RuntimeState> repaired = platform.EnsureReachable(reachable);
  ASSERT_TRUE(repaired.ok()) << "EnsureReachable: " << repaired.status();
  EXPECT_EQ(repaired->phase, Phase::kRunning) << PhaseName(repaired->phase);
  EXPECT_EQ(reachable.host_url, placement->host_url)
      << "EnsureReachable moved a reachable workload";

  absl::StatusOr<std::string> logs = platform.Logs(*placement, 10);
  EXPECT_TRUE(logs.ok()) << "Logs of a running workload: " << logs.status();
  ExpectOwned(platform, spec);

  absl::Status stopped = platform.Terminate(*placement);
  ASSERT_TRUE(stopped.ok()) << "Terminate: " << stopped;
  state = platform.Inspect(*placement);
  ASSERT_TRUE(state.ok()) << "Inspect after Terminate: " << state.status();
  EXPECT_FALSE(Runs(state->phase))
      << "still " << PhaseName(state->phase) << " after Terminate";
  EXPECT_TRUE(platform.Terminate(*placement).ok())
      << "a second Terminate must be OK";
}

void CheckCancelledLaunch(Platform& platform, LaunchSpec spec,
                          absl::Duration patience) {
  // Cancelled as soon as the workload has ids: the hardest moment, since
  // something exists that the driver must remove.
  std::optional<Placement> reported;
  std::atomic<bool> cancel{false};
  spec.cancelled = [&cancel] { return cancel.load(); };
  absl::StatusOr<Placement> placement =
      platform.Launch(spec, [&](const ProgressEvent& event) {
        if (event.placement.has_value() && !reported.has_value()) {
          reported = event.placement;
          cancel = true;
        }
      });
  EXPECT_TRUE(absl::IsCancelled(placement.status()))
      << "a cancelled Launch must end CANCELLED: " << placement.status();
  ASSERT_TRUE(reported.has_value()) << "Launch reported no placement";
  const absl::Time give_up = absl::Now() + patience;
  absl::StatusOr<RuntimeState> state = platform.Inspect(*reported);
  while (state.ok() && Runs(state->phase) && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
    state = platform.Inspect(*reported);
  }
  ASSERT_TRUE(state.ok()) << "Inspect: " << state.status();
  EXPECT_FALSE(Runs(state->phase))
      << "a cancelled launch left its workload " << PhaseName(state->phase);
}

void CheckMissingWorkload(Platform& platform, const Placement& missing) {
  absl::StatusOr<RuntimeState> state = platform.Inspect(missing);
  ASSERT_TRUE(state.ok()) << "Inspect of a missing workload must not fail: "
                          << state.status();
  EXPECT_EQ(state->phase, Phase::kMissing) << PhaseName(state->phase);
  absl::Status stopped = platform.Terminate(missing);
  EXPECT_TRUE(stopped.ok())
      << "Terminate of a missing workload must be OK: " << stopped;
  absl::StatusOr<std::string> logs = platform.Logs(missing, 10);
  EXPECT_TRUE(absl::IsNotFound(logs.status()))
      << "Logs of a missing workload: " << logs.status();
}

void CheckUnknownOptionRefused(Platform& platform, LaunchSpec spec) {
  spec.options["no_such_option"] = "1";
  absl::Status validated = platform.ValidateOptions(spec.options);
  EXPECT_TRUE(absl::IsInvalidArgument(validated)) << validated;
  EXPECT_THAT(validated.message(), HasSubstr("no_such_option"));
  absl::StatusOr<Placement> placement =
      platform.Launch(spec, [](const ProgressEvent&) {});
  EXPECT_TRUE(absl::IsInvalidArgument(placement.status()))
      << placement.status();
  EXPECT_THAT(placement.status().message(), HasSubstr("no_such_option"));
  ExpectNothingRuns(platform, spec);
}

void CheckPastDeadline(Platform& platform, LaunchSpec spec) {
  spec.deadline = absl::Now() - absl::Seconds(1);
  absl::StatusOr<Placement> placement =
      platform.Launch(spec, [](const ProgressEvent&) {});
  EXPECT_TRUE(absl::IsDeadlineExceeded(placement.status()))
      << placement.status();
  ExpectNothingRuns(platform, spec);
}

void CheckUnreachable(Platform& unreachable, const LaunchSpec& spec,
                      const Placement& placement) {
  absl::StatusOr<Placement> launched =
      unreachable.Launch(spec, [](const ProgressEvent&) {});
  EXPECT_TRUE(absl::IsUnavailable(launched.status())) << launched.status();
  absl::StatusOr<RuntimeState> state = unreachable.Inspect(placement);
  EXPECT_TRUE(absl::IsUnavailable(state.status())) << state.status();
  absl::Status stopped = unreachable.Terminate(placement);
  EXPECT_TRUE(absl::IsUnavailable(stopped)) << stopped;
  absl::StatusOr<std::vector<OwnedWorkload>> owned =
      unreachable.ListOwned(spec.server_instance);
  EXPECT_TRUE(absl::IsUnavailable(owned.status()) ||
              absl::IsUnimplemented(owned.status()))
      << owned.status();
}

void CheckConcurrentLaunches(Platform& platform,
                             const std::vector<LaunchSpec>& specs) {
  std::vector<absl::StatusOr<Placement>> placements(
      specs.size(), absl::UnknownError("not launched"));
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < specs.size(); ++i) {
      threads.emplace_back([&, i] {
        placements[i] = platform.Launch(specs[i], [](const ProgressEvent&) {});
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  std::set<std::string> urls;
  for (const absl::StatusOr<Placement>& placement : placements) {
    ASSERT_TRUE(placement.ok()) << placement.status();
    urls.insert(placement->host_url);
  }
  EXPECT_EQ(urls.size(), specs.size()) << "two launches share a host_url";
  std::vector<absl::Status> stopped(specs.size());
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < specs.size(); ++i) {
      threads.emplace_back(
          [&, i] { stopped[i] = platform.Terminate(*placements[i]); });
    }
    for (std::thread& thread : threads) thread.join();
  }
  for (const absl::Status& status : stopped) EXPECT_TRUE(status.ok()) << status;
}

void PlatformConformanceTest::SetUp() {
  env_ = GetParam()();
  absl::Status found = env_->SetUp();
  if (!found.ok()) {
    if (env_->Required()) FAIL() << found;
    GTEST_SKIP() << found;
  }
  platform_ = env_->MakePlatform();
  ASSERT_NE(platform_, nullptr);
}

void PlatformConformanceTest::TearDown() {
  if (env_ != nullptr) env_->CleanUp();
}

TEST_P(PlatformConformanceTest, LaunchInspectLogsListTerminate) {
  CheckLifecycle(*platform_, env_->NewSpec(), env_->Patience());
}

TEST_P(PlatformConformanceTest, CancelledLaunchLeavesNothingRunning) {
  CheckCancelledLaunch(*platform_, env_->NewSpec(), env_->Patience());
}

TEST_P(PlatformConformanceTest, MissingWorkloadIsMissingNotAnError) {
  CheckMissingWorkload(*platform_, env_->MissingPlacement());
}

TEST_P(PlatformConformanceTest, UnknownOptionIsInvalidArgument) {
  CheckUnknownOptionRefused(*platform_, env_->NewSpec());
}

TEST_P(PlatformConformanceTest, PastDeadlineIsDeadlineExceeded) {
  CheckPastDeadline(*platform_, env_->NewSpec());
}

TEST_P(PlatformConformanceTest, UnreachableEngineIsUnavailable) {
  std::unique_ptr<Platform> unreachable = env_->MakeUnreachablePlatform();
  ASSERT_NE(unreachable, nullptr);
  CheckUnreachable(*unreachable, env_->NewSpec(), env_->UnreachablePlacement());
}

TEST_P(PlatformConformanceTest, ConcurrentLaunchesAreSafe) {
  CheckConcurrentLaunches(*platform_,
                          {env_->NewSpec(), env_->NewSpec(), env_->NewSpec()});
}

}  // namespace tao::platforms::conformance
