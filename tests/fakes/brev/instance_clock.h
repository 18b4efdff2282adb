// How an instance's status moves on its own: there is no daemon behind the
// fake, so every call first applies the transitions whose time has come
// (DEPLOYING -> RUNNING, STOPPING -> STOPPED, DELETING -> gone, ...), and
// the fields `brev ls` derives from the status (brev-cli.md §3).
#ifndef TAO_TESTS_FAKES_BREV_INSTANCE_CLOCK_H_
#define TAO_TESTS_FAKES_BREV_INSTANCE_CLOCK_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "tests/fakes/brev/instance_state.h"

namespace tao::fakes::brev {

int64_t NowMillis();

// Sets the status with the build and health statuses that go with it.
// Only DEPLOYING -> PENDING, RUNNING -> COMPLETED/HEALTHY and FAILURE ->
// CREATE_FAILED follow the reference; the health of stopped or deleting
// instances (UNAVAILABLE) is not verified.
void SetStatus(Instance& instance, const std::string& status);

// Sets `now_status` at once and `later` (a status or kGone) after `delay`.
void Schedule(Instance& instance, const std::string& now_status,
              const std::string& later, absl::Duration delay, int64_t now_ms);

// Applies every transition due at `now_ms`; gone instances are dropped.
void AdvanceClock(State& state, int64_t now_ms);

// `status` as `brev ls` shows it: UNHEALTHY instead of RUNNING when the
// health is UNHEALTHY (ls.go getWorkspaceDisplayStatus).
std::string DisplayStatus(const Instance& instance);
// READY iff RUNNING and the build COMPLETED, else NOT READY.
std::string ShellStatus(const Instance& instance);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_INSTANCE_CLOCK_H_
