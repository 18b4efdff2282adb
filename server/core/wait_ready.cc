// ServiceManager::WaitReady and AwaitReady: readiness polling with backoff.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/core/common/errors.h"
#include "server/core/common/service_convert.h"
#include "server/core/placement.h"
#include "server/core/service_manager.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;
using backend::Readiness;

// Pull byte counts are sent at most this often; phase and message changes
// at once.
constexpr absl::Duration kBytesInterval = absl::Milliseconds(250);
// How often a wait on a launch looks at its client (cancelled) and deadline.
constexpr absl::Duration kLaunchPollInterval = absl::Milliseconds(200);

// Sleeps until `until`, waking early when `cancelled()`.
void SleepUnlessCancelled(absl::Time until,
                          const std::function<bool()>& cancelled) {
  while (absl::Now() < until && !(cancelled && cancelled())) {
    absl::SleepFor(std::min(until - absl::Now(), absl::Milliseconds(50)));
  }
}

struct Observation {
  v1::ServiceState state = v1::SERVICE_STATE_UNSPECIFIED;
  v1::Phase phase = v1::PHASE_UNSPECIFIED;
  std::string reason;
  std::string message;

  bool SameAs(const Observation& other) const {
    return state == other.state && phase == other.phase &&
           reason == other.reason;
  }
  bool Final() const {
    return state == v1::SERVICE_STATE_READY ||
           state == v1::SERVICE_STATE_FAILED;
  }
};

Observation FromReadiness(const Readiness& readiness) {
  switch (readiness.kind) {
    case Readiness::Kind::kReady:
      return {v1::SERVICE_STATE_READY, v1::PHASE_READY, "ready",
              readiness.message};
    case Readiness::Kind::kInitializing:
      return {v1::SERVICE_STATE_STARTING, v1::PHASE_STARTING, readiness.type,
              readiness.message};
    case Readiness::Kind::kLoading:
      return {v1::SERVICE_STATE_LOADING, v1::PHASE_LOADING, readiness.type,
              readiness.message};
    case Readiness::Kind::kFailed:
      return {v1::SERVICE_STATE_FAILED, v1::PHASE_FAILED, readiness.type,
              absl::StrCat("Service initialization failed: ", readiness.type,
                           readiness.message.empty() ? "" : ": ",
                           readiness.message)};
    case Readiness::Kind::kUnreachable:
      break;
  }
  return {v1::SERVICE_STATE_STARTING, v1::PHASE_STARTING, "not_listening",
          "the service is not answering yet"};
}

}  // namespace

absl::Status ServiceManager::WaitReady(
    const v1::WaitReadyRequest& request, absl::Time deadline,
    const std::function<bool()>& cancelled,
    const std::function<bool(const v1::WaitReadyEvent&)>& emit) {
  if (request.job_id().empty()) return InvalidField("job_id", "required");
  absl::StatusOr<registry::ServiceEntry> entry = FindEntry(request.job_id());
  if (!entry.ok()) return entry.status();
  absl::StatusOr<platforms::Platform*> platform = PlatformOf(*entry);
  if (!platform.ok()) return platform.status();
  absl::Duration timeout = options_.default_wait_timeout;
  if (request.has_timeout()) {
    timeout = absl::Seconds(request.timeout().seconds()) +
              absl::Nanoseconds(request.timeout().nanos());
    if (timeout <= absl::ZeroDuration()) {
      return InvalidField("timeout", "must be positive");
    }
  }
  const absl::Time start = absl::Now();
  deadline = std::min(deadline, start + timeout);
  const std::string job_id = entry->job_id;

  Observation last;
  auto send = [&](const Observation& now, int64_t bytes_done,
                  int64_t bytes_total) {
    v1::WaitReadyEvent event;
    event.set_job_id(job_id);
    event.set_state(now.state);
    event.set_phase(now.phase);
    event.set_reason(now.reason);
    event.set_message(now.message);
    event.set_bytes_done(bytes_done);
    event.set_bytes_total(bytes_total);
    absl::Duration elapsed = absl::Now() - start;
    event.mutable_elapsed()->set_seconds(
        absl::IDivDuration(elapsed, absl::Seconds(1), &elapsed));
    event.mutable_elapsed()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(elapsed)));
    last = now;
    return emit(event);
  };
  auto timed_out = [&] {
    return absl::DeadlineExceededError(
        absl::StrCat("Service did not become ready within ",
                     absl::ToInt64Seconds(absl::Now() - start),
                     "s (last state ", StateName(last.state), ", ", last.reason,
                     "); `tao-infer wait ", job_id, "` keeps waiting"));
  };

  // While this server launches the workload, its driver's reports are the
  // news: the platform cannot tell more yet.
  std::optional<LaunchProgress> launch = launches_.Find(job_id);
  int64_t sent_bytes = -1;
  absl::Time sent_bytes_at = absl::InfinitePast();
  while (launch.has_value()) {
    if (cancelled && cancelled()) {
      return absl::CancelledError("WaitReady was cancelled");
    }
    const bool pulling =
        launch->phase == platforms::ProgressEvent::Phase::kPulling;
    Observation now{v1::SERVICE_STATE_PENDING,
                    pulling ? v1::PHASE_PULLING : v1::PHASE_STARTING,
                    pulling ? "pulling" : "launching", launch->message};
    const bool news = !now.SameAs(last) || now.message != last.message;
    const bool bytes_moved = pulling && launch->bytes_done != sent_bytes &&
                             absl::Now() - sent_bytes_at >= kBytesInterval;
    if (news || bytes_moved) {
      const int64_t done = pulling ? launch->bytes_done : 0;
      if (!send(now, done, pulling ? launch->bytes_total : 0)) {
        return absl::CancelledError("the WaitReady client went away");
      }
      sent_bytes = done;
      sent_bytes_at = absl::Now();
    }
    if (absl::Now() >= deadline) return timed_out();
    launch = launches_.AwaitChange(
        job_id, launch->version,
        std::min(deadline - absl::Now(), kLaunchPollInterval));
  }
  // The launch has ended (or ran before this call): the entry holds its
  // outcome and the placement to poll.
  entry = FindEntry(job_id);
  if (!entry.ok()) return entry.status();
  if (entry->state == StateName(v1::SERVICE_STATE_FAILED) &&
      entry->host_url.empty()) {
    send({v1::SERVICE_STATE_FAILED, v1::PHASE_FAILED, "launch_failed",
          entry->reason},
         0, 0);
    return absl::OkStatus();
  }
  platforms::Placement placement = PlacementOf(*entry);

  absl::Duration interval = options_.poll_initial;
  while (true) {
    if (cancelled && cancelled()) {
      return absl::CancelledError("WaitReady was cancelled");
    }
    // The placement, not the entry: EnsureReachable below may find the
    // address of a workload whose launch a restart cut short.
    // Without the endpoint's headers (the platform cannot be asked) the
    // service counts as not answering, so the platform is asked below.
    Readiness probe{Readiness::Kind::kUnreachable, "", ""};
    if (!placement.host_url.empty()) {
      absl::StatusOr<std::vector<std::string>> headers =
          (*platform)->EndpointHeaders(placement);
      if (headers.ok()) {
        probe = options_.backend->CheckReadiness(placement.host_url, *headers);
      }
    }
    Observation now = FromReadiness(probe);
    if (now.reason == "not_listening") {
      // Not answering: ask the platform whether the workload still runs,
      // and let it repair what reaches a running one (a dead tunnel).
      absl::StatusOr<platforms::RuntimeState> runtime =
          EnsureReachable(**platform, entry->job_id, placement);
      using Phase = platforms::RuntimeState::Phase;
      if (runtime.ok() && (runtime->phase == Phase::kExited ||
                           runtime->phase == Phase::kMissing)) {
        now = {v1::SERVICE_STATE_FAILED, v1::PHASE_FAILED,
               runtime->phase == Phase::kExited ? "workload_exited"
                                                : "workload_missing",
               FailureReason(**platform, placement, *runtime)};
      } else if (runtime.ok() && runtime->phase == Phase::kPending) {
        now = {v1::SERVICE_STATE_PENDING, v1::PHASE_STARTING, "pending",
               redactor_.Redact(runtime->detail)};
      }
    }
    if (!now.SameAs(last)) {
      interval = options_.poll_initial;  // look closely after a change
      RecordState(entry->job_id, now.state,
                  now.Final() || now.state == v1::SERVICE_STATE_PENDING
                      ? now.message
                      : now.reason);
      if (!send(now, 0, 0)) {
        return absl::CancelledError("the WaitReady client went away");
      }
    }
    if (now.Final()) return absl::OkStatus();
    if (absl::Now() >= deadline) return timed_out();
    SleepUnlessCancelled(std::min(deadline, absl::Now() + interval), cancelled);
    interval = std::min(interval * options_.poll_growth, options_.poll_max);
  }
}

absl::Status ServiceManager::AwaitReady(
    const registry::ServiceEntry& entry, absl::Time deadline,
    const std::function<bool()>& cancelled) {
  v1::WaitReadyRequest request;
  request.set_job_id(entry.job_id);
  v1::WaitReadyEvent last;
  absl::Status s = WaitReady(request, deadline, cancelled,
                             [&](const v1::WaitReadyEvent& event) {
                               last = event;
                               return true;
                             });
  if (!s.ok()) return s;
  if (last.state() == v1::SERVICE_STATE_FAILED) {
    v1::ErrorDetails details;
    details.set_reason_code(v1::ERROR_REASON_MODEL_LOAD_FAILED);
    details.set_backend_error_type(last.reason());
    return WithDetails(
        absl::FailedPreconditionError(absl::StrCat(
            "service ", entry.job_id, " failed: ", last.message())),
        details);
  }
  return absl::OkStatus();
}

}  // namespace tao::core
