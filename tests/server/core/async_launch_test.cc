// Asynchronous launch: the registry holds a PENDING entry before the
// driver is asked, the driver's progress reaches WaitReady and List, Stop
// cancels a launch in flight, and a restart adopts or drops what a launch
// cut short left behind.
#include <thread>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/forwarding_platform.h"
#include "tests/server/core/service_manager_fixture.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;
using platforms::ProgressEvent;
using platforms::RuntimeState;
using ::testing::HasSubstr;
using testing::ServiceManagerTest;

// Forwards to the fixture's scripted platform, but its Launch first pulls
// (two byte counts), reports a placement and then holds until released or
// cancelled, so that a test sees a launch in flight.
class GatedPlatform : public platforms::ForwardingPlatform {
 public:
  GatedPlatform(platforms::Platform* target, registry::Registry* registry)
      : ForwardingPlatform(target), registry_(registry) {}

  absl::string_view name() const override { return "gated"; }

  absl::StatusOr<platforms::Placement> Launch(
      const platforms::LaunchSpec& spec,
      const platforms::ProgressCallback& progress) override {
    // What the registry held when the driver was asked.
    absl::StatusOr<registry::RegistryState> state = registry_->Read();
    if (state.ok() && state->Find(spec.job_id) != nullptr) {
      state_at_launch_ = state->Find(spec.job_id)->state;
    }
    for (int64_t done : {25, 100}) {
      ProgressEvent event;
      event.phase = ProgressEvent::Phase::kPulling;
      event.message = done == 100 ? "pulled" : "";
      event.bytes_done = done;
      event.bytes_total = 100;
      progress(event);
    }
    platforms::Placement submitted;
    submitted.job_id = spec.job_id;
    submitted.host_port = spec.host_port;
    submitted.platform_job_id = "submitted-1";
    platforms::ReportPlacement(progress, "created", submitted);
    reported_.Notify();
    while (!release_.WaitForNotificationWithTimeout(absl::Milliseconds(10))) {
      if (spec.cancelled && spec.cancelled()) {
        return absl::CancelledError("launch cancelled");
      }
    }
    if (!fail_with_.ok()) return fail_with_;
    return ForwardingPlatform::Launch(spec, progress);
  }

  std::string state_at_launch_;
  absl::Notification reported_;
  absl::Notification release_;
  absl::Status fail_with_;

 private:
  registry::Registry* const registry_;
};

class AsyncLaunchTest : public ServiceManagerTest {
 protected:
  void SetUp() override {
    ServiceManagerTest::SetUp();
    auto gated = std::make_unique<GatedPlatform>(platform_, registry_.get());
    gated_ = gated.get();
    ASSERT_TRUE(platforms_.Register(std::move(gated)).ok());
  }
  void TearDown() override {
    if (!gated_->release_.HasBeenNotified()) gated_->release_.Notify();
  }

  v1::StartRequest AsyncRequest() {
    v1::StartRequest request = Request();
    request.set_platform("gated");
    request.set_return_on_accept(true);
    return request;
  }

  GatedPlatform* gated_ = nullptr;
};

TEST_F(AsyncLaunchTest, StartReturnsThePendingEntryTheDriverThenFills) {
  absl::StatusOr<v1::StartResponse> started = Start(AsyncRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->service().state(), v1::SERVICE_STATE_PENDING);
  const std::string job_id = started->service().job_id();
  EXPECT_EQ(started->service().host_port(), 8080);

  ASSERT_TRUE(
      gated_->reported_.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(gated_->state_at_launch_, "PENDING");
  // The reported placement is in the registry while the launch holds.
  EXPECT_EQ(EntryOf(job_id).platform_job_id, "submitted-1");
  EXPECT_EQ(EntryOf(job_id).state, "PENDING");
  // List asks the launch, not the platform.
  v1::ListRequest list;
  list.set_refresh(true);
  absl::StatusOr<v1::ListResponse> listed = manager_->List(list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->services_size(), 1);
  EXPECT_EQ(listed->services(0).state(), v1::SERVICE_STATE_PENDING);
  EXPECT_EQ(listed->services(0).reason(), "created");

  gated_->release_.Notify();
  platform_->SetRuntime({RuntimeState::Phase::kExited, 3, true, "exited"});
  auto [events, status] = Wait(job_id, absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_FALSE(events.empty());
  // Whatever the launch still reported came first, then the platform.
  EXPECT_EQ(events.back().state(), v1::SERVICE_STATE_FAILED);
  EXPECT_EQ(EntryOf(job_id).platform_job_id, "batch-1");
}

TEST_F(AsyncLaunchTest, WaitReadyReportsTheLaunchWhileItHolds) {
  absl::StatusOr<v1::StartResponse> started = Start(AsyncRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string job_id = started->service().job_id();
  ASSERT_TRUE(
      gated_->reported_.WaitForNotificationWithTimeout(absl::Seconds(10)));
  std::thread release([this] {
    absl::SleepFor(absl::Milliseconds(300));
    gated_->release_.Notify();
  });
  platform_->SetRuntime({RuntimeState::Phase::kExited, 1, true, "exited"});
  auto [events, status] = Wait(job_id, absl::Seconds(10));
  release.join();
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_GE(events.size(), 2u);
  // The launch had reported its placement ("created", STARTING phase) by
  // the time the wait began: the first event says so.
  EXPECT_EQ(events[0].state(), v1::SERVICE_STATE_PENDING);
  EXPECT_EQ(events[0].phase(), v1::PHASE_STARTING);
  EXPECT_EQ(events[0].reason(), "launching");
  EXPECT_EQ(events[0].message(), "created");
  EXPECT_EQ(events[0].bytes_total(), 0);
}

TEST_F(AsyncLaunchTest, PullEventsCarryBytes) {
  // A wait that begins while the driver is pulling sees the bytes.
  class Pulling : public platforms::ForwardingPlatform {
   public:
    using ForwardingPlatform::ForwardingPlatform;
    absl::string_view name() const override { return "pulling"; }
    absl::StatusOr<platforms::Placement> Launch(
        const platforms::LaunchSpec& spec,
        const platforms::ProgressCallback& progress) override {
      ProgressEvent event;
      event.phase = ProgressEvent::Phase::kPulling;
      event.message = "pulling image";
      event.bytes_done = 40;
      event.bytes_total = 160;
      progress(event);
      started_.Notify();
      release_.WaitForNotification();
      return ForwardingPlatform::Launch(spec, progress);
    }
    absl::Notification started_;
    absl::Notification release_;
  };
  auto pulling = std::make_unique<Pulling>(platform_);
  Pulling* driver = pulling.get();
  ASSERT_TRUE(platforms_.Register(std::move(pulling)).ok());
  v1::StartRequest request = AsyncRequest();
  request.set_platform("pulling");
  absl::StatusOr<v1::StartResponse> started = Start(request);
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_TRUE(
      driver->started_.WaitForNotificationWithTimeout(absl::Seconds(10)));

  v1::WaitReadyRequest wait;
  wait.set_job_id(started->service().job_id());
  std::vector<v1::WaitReadyEvent> events;
  absl::Status status = manager_->WaitReady(
      wait, absl::InfiniteFuture(), [] { return false; },
      [&](const v1::WaitReadyEvent& event) {
        events.push_back(event);
        if (!driver->release_.HasBeenNotified()) driver->release_.Notify();
        platform_->SetRuntime(
            {RuntimeState::Phase::kExited, 1, true, "exited"});
        return true;
      });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].phase(), v1::PHASE_PULLING);
  EXPECT_EQ(events[0].reason(), "pulling");
  EXPECT_EQ(events[0].message(), "pulling image");
  EXPECT_EQ(events[0].bytes_done(), 40);
  EXPECT_EQ(events[0].bytes_total(), 160);
}

TEST_F(AsyncLaunchTest, AFailedBackgroundLaunchLeavesTheEntryFailed) {
  gated_->fail_with_ = absl::FailedPreconditionError(
      absl::StrCat("image not found; token ", testing::kToken));
  absl::StatusOr<v1::StartResponse> started = Start(AsyncRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string job_id = started->service().job_id();
  gated_->release_.Notify();
  auto [events, status] = Wait(job_id, absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().state(), v1::SERVICE_STATE_FAILED);
  EXPECT_EQ(events.back().reason(), "launch_failed");
  EXPECT_THAT(events.back().message(), HasSubstr("image not found"));
  EXPECT_THAT(events.back().message(),
              ::testing::Not(HasSubstr(testing::kToken)));
  const registry::ServiceEntry entry = EntryOf(job_id);
  EXPECT_EQ(entry.state, "FAILED");
  EXPECT_FALSE(entry.host_port.has_value());  // its port is free again
  // Stop removes it.
  v1::StopRequest stop;
  stop.set_job_id(job_id);
  ASSERT_TRUE(manager_->Stop(stop).ok());
}

TEST_F(AsyncLaunchTest, StopCancelsALaunchInFlight) {
  absl::StatusOr<v1::StartResponse> started = Start(AsyncRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string job_id = started->service().job_id();
  ASSERT_TRUE(
      gated_->reported_.WaitForNotificationWithTimeout(absl::Seconds(10)));
  v1::StopRequest stop;
  stop.set_job_id(job_id);
  absl::StatusOr<v1::StopResponse> stopped = manager_->Stop(stop);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  // Terminate got the placement the launch had reported.
  EXPECT_THAT(platform_->terminated(), ::testing::ElementsAre(job_id));
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->Find(job_id), nullptr);
  EXPECT_TRUE(platform_->launched().empty());  // never got past the gate
}

TEST_F(AsyncLaunchTest, ASyncStartThatFailsLeavesNoEntry) {
  gated_->fail_with_ = absl::UnavailableError("cluster down");
  gated_->release_.Notify();
  v1::StartRequest request = AsyncRequest();
  request.set_return_on_accept(false);
  absl::StatusOr<v1::StartResponse> started = Start(request);
  EXPECT_TRUE(absl::IsUnavailable(started.status())) << started.status();
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->entries().empty());
}

TEST_F(AsyncLaunchTest, DestroyingTheManagerCancelsLaunchesInFlight) {
  absl::StatusOr<v1::StartResponse> started = Start(AsyncRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_TRUE(
      gated_->reported_.WaitForNotificationWithTimeout(absl::Seconds(10)));
  manager_.reset();  // returns once the launch gave up
  EXPECT_EQ(EntryOf(started->service().job_id()).state, "FAILED");
}

// A restart: the PENDING entry of a launch the previous server did not
// finish, as the registry holds it then.
class InterruptedLaunchTest : public ServiceManagerTest {
 protected:
  std::string WritePendingEntry(const std::string& platform_job_id) {
    registry::ServiceEntry entry;
    entry.job_id = "7d1c3a52-0000-4000-8000-000000000001";
    entry.platform = "scripted";
    entry.network_arch = "cosmos-rl";
    entry.state = "PENDING";
    entry.reason = "launching";
    entry.host_port = 8080;
    entry.platform_job_id = platform_job_id;
    EXPECT_TRUE(registry_
                    ->Mutate([&](registry::RegistryState& state) {
                      state.Put(entry);
                      return absl::OkStatus();
                    })
                    .ok());
    return entry.job_id;
  }
};

TEST_F(InterruptedLaunchTest, NothingOfItExistsSoItsEntryIsDropped) {
  const std::string job_id = WritePendingEntry("");
  platform_->SetOwned(std::vector<platforms::OwnedWorkload>{});
  platform_->SetRuntime({RuntimeState::Phase::kMissing, 0, false, "none"});
  const std::string log = Reconcile();
  EXPECT_THAT(log, HasSubstr("stopped while launching it"));
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->Find(job_id), nullptr);
}

TEST_F(InterruptedLaunchTest, ItsWorkloadIsAdoptedWithWhatListOwnedKnows) {
  const std::string job_id = WritePendingEntry("");
  platforms::OwnedWorkload owned;
  owned.job_id = job_id;
  owned.placement.job_id = job_id;
  owned.placement.platform_job_id = "4242";
  owned.placement.attributes["job_dir"] = "/w/x";
  platform_->SetOwned(std::vector<platforms::OwnedWorkload>{owned});
  platform_->SetRuntime({RuntimeState::Phase::kRunning, 0, false, "running"});
  const std::string log = Reconcile();
  EXPECT_THAT(log, HasSubstr("adopted"));
  const registry::ServiceEntry entry = EntryOf(job_id);
  EXPECT_EQ(entry.platform_job_id, "4242");
  EXPECT_EQ(entry.platform_data.at("job_dir"), "/w/x");
  EXPECT_EQ(entry.state, "STARTING");
  EXPECT_EQ(entry.host_port, 8080);  // the entry's own facts win
}

TEST_F(InterruptedLaunchTest, ListOwnedFailingKeepsTheEntry) {
  // The platform could not say whether the workload exists: keep it.
  const std::string job_id = WritePendingEntry("");
  platform_->SetOwned(absl::InternalError("squeue failed"));
  platform_->SetRuntime({RuntimeState::Phase::kMissing, 0, false, "none"});
  Reconcile();
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  EXPECT_NE(state->Find(job_id), nullptr);
}

TEST_F(InterruptedLaunchTest, ARunningEntryWhoseWorkloadIsGoneIsMarked) {
  const std::string job_id = WritePendingEntry("batch-9");
  ASSERT_TRUE(registry_
                  ->Mutate([&](registry::RegistryState& state) {
                    registry::ServiceEntry entry = *state.Find(job_id);
                    entry.state = "READY";
                    state.Put(entry);
                    return absl::OkStatus();
                  })
                  .ok());
  platform_->SetRuntime({RuntimeState::Phase::kMissing, 0, false, "gone"});
  Reconcile();
  const registry::ServiceEntry entry = EntryOf(job_id);
  EXPECT_EQ(entry.state, "STOPPED");
  EXPECT_EQ(entry.reason, "gone");
}

}  // namespace
}  // namespace tao::core
