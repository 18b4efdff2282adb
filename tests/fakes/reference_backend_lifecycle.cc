#include "tests/fakes/reference_backend_lifecycle.h"

#include <cstdio>
#include <cstdlib>

#include "absl/time/clock.h"

namespace tao::fakes {

void RunLifecycle(const Knobs& knobs, BackendState* state) {
  absl::SleepFor(knobs.init_time);
  if (knobs.fail_init) {
    state->Advance(Phase::kInitFailed,
                   "Initialization failed: reference backend knob fail-init");
    return;
  }
  if (!state->Advance(Phase::kLoading, "Model is loading")) return;
  absl::SleepFor(knobs.load_time);
  // Still loading (and no test took over the state).
  if (knobs.exit_during_load >= 0 &&
      state->Advance(Phase::kLoading, "Model is loading")) {
    std::printf(
        "reference backend: exiting with code %d while loading "
        "(knob exit-during-load)\n",
        knobs.exit_during_load);
    std::fflush(stdout);
    std::_Exit(knobs.exit_during_load);
  }
  if (knobs.fail_load) {
    state->Advance(Phase::kLoadFailed,
                   "Model loading failed: reference backend knob fail-load");
    return;
  }
  state->Advance(Phase::kReady, "");
}

}  // namespace tao::fakes
