#include "tests/fakes/brev/instance_clock.h"

#include <algorithm>

#include "absl/time/clock.h"

namespace tao::fakes::brev {

int64_t NowMillis() { return absl::ToUnixMillis(absl::Now()); }

void SetStatus(Instance& instance, const std::string& status) {
  instance.status = status;
  if (status == "DEPLOYING") {
    instance.build_status = "PENDING";
    instance.health_status = "";
  } else if (status == "RUNNING") {
    instance.build_status = "COMPLETED";
    instance.health_status = "HEALTHY";
  } else if (status == "FAILURE") {
    instance.build_status = "CREATE_FAILED";
    instance.health_status = "";
  } else {
    // STARTING, STOPPING, STOPPED, DELETING: the machine is not serving.
    instance.health_status = "UNAVAILABLE";
  }
}

void Schedule(Instance& instance, const std::string& now_status,
              const std::string& later, absl::Duration delay, int64_t now_ms) {
  SetStatus(instance, now_status);
  instance.transition =
      Transition{later, now_ms + absl::ToInt64Milliseconds(delay)};
}

void AdvanceClock(State& state, int64_t now_ms) {
  for (Instance& instance : state.instances) {
    if (!instance.transition.has_value() ||
        instance.transition->at_ms > now_ms) {
      continue;
    }
    const std::string to = instance.transition->to;
    instance.transition.reset();
    if (to == kGone) {
      instance.status = kGone;
    } else {
      SetStatus(instance, to);
    }
  }
  state.instances.erase(
      std::remove_if(state.instances.begin(), state.instances.end(),
                     [](const Instance& i) { return i.status == kGone; }),
      state.instances.end());
}

std::string DisplayStatus(const Instance& instance) {
  if (instance.status == "RUNNING" && instance.health_status == "UNHEALTHY") {
    return "UNHEALTHY";
  }
  return instance.status;
}

std::string ShellStatus(const Instance& instance) {
  return instance.status == "RUNNING" && instance.build_status == "COMPLETED"
             ? "READY"
             : "NOT READY";
}

}  // namespace tao::fakes::brev
