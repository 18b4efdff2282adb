// FaultInjectingPlatform fails the next N calls of one method on demand and
// forwards everything else to the platform it wraps.
#include "tests/platforms/testing/fault_injecting_platform.h"

#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/platforms/testing/scripted_platform.h"

namespace tao::platforms::testing {
namespace {

using ::testing::ElementsAre;
using Method = FaultInjectingPlatform::Method;

constexpr Method kAllMethods[] = {
    Method::kLaunch,    Method::kInspect, Method::kEnsureReachable,
    Method::kTerminate, Method::kLogs,    Method::kReattach,
    Method::kListOwned,
};

class FaultInjectingPlatformTest : public ::testing::Test {
 protected:
  FaultInjectingPlatformTest() {
    auto fake = std::make_unique<ScriptedPlatform>(
        ScriptedPlatform::Options{"local-docker", "fake-backend"});
    fake_ = fake.get();
    fake_->SetLogs("log line\n");
    fake_->SetOwned(std::vector<OwnedWorkload>());
    platform_ = std::make_unique<FaultInjectingPlatform>(std::move(fake));
    placement_.job_id = "job-1";
    spec_.job_id = "job-1";
    spec_.host_port = 8123;
  }

  // Calls `method` once and returns its status.
  absl::Status Call(Method method) {
    switch (method) {
      case Method::kLaunch:
        return platform_->Launch(spec_, nullptr).status();
      case Method::kInspect:
        return platform_->Inspect(placement_).status();
      case Method::kTerminate:
        return platform_->Terminate(placement_);
      case Method::kLogs:
        return platform_->Logs(placement_, 5).status();
      case Method::kEnsureReachable:
        return platform_->EnsureReachable(placement_).status();
      case Method::kReattach:
        return platform_->Reattach(placement_).status();
      case Method::kListOwned:
        return platform_->ListOwned("server-1").status();
    }
    return absl::InternalError("unreachable");
  }

  ScriptedPlatform* fake_;  // owned by platform_
  std::unique_ptr<FaultInjectingPlatform> platform_;
  Placement placement_;
  LaunchSpec spec_;
};

TEST_F(FaultInjectingPlatformTest, ForwardsEverythingWithoutFaults) {
  EXPECT_EQ(platform_->name(), "local-docker");
  EXPECT_EQ(platform_->execution_backend(), "fake-backend");
  EXPECT_EQ(platform_->HostPortScope(spec_), kThisHostPortScope);
  EXPECT_EQ(platform_->HostPortScopeOf(placement_), kThisHostPortScope);
  fake_->SetOptionsStatus(absl::InvalidArgumentError("fake.x: no"));
  EXPECT_EQ(platform_->ValidateOptions({{"x", "1"}}).message(), "fake.x: no");
  EXPECT_EQ(platform_->target(), fake_);

  std::vector<ProgressEvent> events;
  absl::StatusOr<Placement> placement = platform_->Launch(
      spec_, [&events](const ProgressEvent& e) { events.push_back(e); });
  ASSERT_TRUE(placement.ok()) << placement.status();
  EXPECT_EQ(placement->host_port, 8123);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].message, "scheduling");

  absl::StatusOr<RuntimeState> state = platform_->Inspect(placement_);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->phase, RuntimeState::Phase::kRunning);
  EXPECT_TRUE(platform_->Terminate(placement_).ok());
  absl::StatusOr<std::string> logs = platform_->Logs(placement_, 7);
  ASSERT_TRUE(logs.ok());
  EXPECT_EQ(*logs, "log line\n");
  fake_->SetRepairAttributes({{"tunnel_pid", "42"}});
  Placement repaired = placement_;
  EXPECT_TRUE(platform_->EnsureReachable(repaired).ok());
  EXPECT_EQ(repaired.attributes["tunnel_pid"], "42");
  Placement reattached = placement_;
  EXPECT_TRUE(platform_->Reattach(reattached).ok());
  EXPECT_EQ(reattached.attributes["tunnel_pid"], "42");
  EXPECT_TRUE(platform_->ListOwned("server-1").ok());

  EXPECT_THAT(fake_->calls(),
              ElementsAre("Launch job-1", "Inspect job-1", "Terminate job-1",
                          "Logs job-1 7", "EnsureReachable job-1",
                          "Reattach job-1", "ListOwned server-1"));
  for (Method m : kAllMethods) EXPECT_EQ(platform_->calls(m), 1);
}

TEST_F(FaultInjectingPlatformTest, CallsStartAtZero) {
  for (Method m : kAllMethods) EXPECT_EQ(platform_->calls(m), 0);
}

TEST_F(FaultInjectingPlatformTest, FailsExactlyTheNextNCallsOfEachMethod) {
  for (Method m : kAllMethods) {
    SCOPED_TRACE(static_cast<int>(m));
    platform_->FailNext(m, absl::UnavailableError("platform unreachable"), 3);
    for (int i = 0; i < 3; ++i) {
      absl::Status s = Call(m);
      EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
      EXPECT_EQ(s.message(), "platform unreachable");
    }
    EXPECT_EQ(platform_->calls(m), 0) << "failed calls never reach the target";
    EXPECT_TRUE(Call(m).ok());
    EXPECT_TRUE(Call(m).ok());
    EXPECT_EQ(platform_->calls(m), 2);
  }
  // Only the successful pairs reached the fake.
  EXPECT_EQ(fake_->calls().size(), 2 * std::size(kAllMethods));
}

TEST_F(FaultInjectingPlatformTest, DefaultIsOneFailure) {
  platform_->FailNext(Method::kInspect, absl::InternalError("boom"));
  EXPECT_EQ(Call(Method::kInspect).code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(Call(Method::kInspect).ok());
}

TEST_F(FaultInjectingPlatformTest, FaultsAreIndependentPerMethod) {
  platform_->FailNext(Method::kTerminate, absl::DeadlineExceededError("slow"));
  EXPECT_TRUE(Call(Method::kLaunch).ok());
  EXPECT_TRUE(Call(Method::kInspect).ok());
  EXPECT_TRUE(Call(Method::kLogs).ok());
  EXPECT_EQ(Call(Method::kTerminate).code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(fake_->calls(),
              ElementsAre("Launch job-1", "Inspect job-1", "Logs job-1 5"));
}

TEST_F(FaultInjectingPlatformTest, NewFaultReplacesPendingOne) {
  platform_->FailNext(Method::kLaunch, absl::InternalError("first"), 5);
  platform_->FailNext(Method::kLaunch, absl::ResourceExhaustedError("second"),
                      1);
  EXPECT_EQ(Call(Method::kLaunch).code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(Call(Method::kLaunch).ok());
}

TEST_F(FaultInjectingPlatformTest, ZeroTimesInjectsNothing) {
  platform_->FailNext(Method::kLogs, absl::NotFoundError("gone"), 0);
  EXPECT_TRUE(Call(Method::kLogs).ok());
  EXPECT_EQ(platform_->calls(Method::kLogs), 1);
}

TEST_F(FaultInjectingPlatformTest, OkFaultStillCountsForwardedCalls) {
  // An OK "fault" forwards the call, so calls() must count it.
  platform_->FailNext(Method::kInspect, absl::OkStatus(), 2);
  EXPECT_TRUE(Call(Method::kInspect).ok());
  EXPECT_TRUE(Call(Method::kInspect).ok());
  EXPECT_EQ(platform_->calls(Method::kInspect), 2);
  EXPECT_EQ(fake_->calls().size(), 2u);
}

TEST_F(FaultInjectingPlatformTest, ConcurrentCallsFailExactlyNTimes) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  constexpr int kFaults = 300;
  platform_->FailNext(Method::kInspect, absl::UnavailableError("x"), kFaults);
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, &failures, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!platform_->Inspect(placement_).ok()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  int total_failures = 0;
  for (int f : failures) total_failures += f;
  EXPECT_EQ(total_failures, kFaults);
  EXPECT_EQ(platform_->calls(Method::kInspect),
            kThreads * kPerThread - kFaults);
  EXPECT_EQ(fake_->calls().size(),
            static_cast<size_t>(kThreads * kPerThread - kFaults));
}

}  // namespace
}  // namespace tao::platforms::testing
