// The reference test backend's start-up, run in a background thread after
// the HTTP server listens: initialization, then model load, shaped by the
// knobs (delays, failures, exit during load).
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_LIFECYCLE_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_LIFECYCLE_H_

#include "tests/fakes/reference_backend_knobs.h"
#include "tests/fakes/reference_backend_state.h"

namespace tao::fakes {

// Returns when the backend is ready or failed, or once a test set the
// state itself. With exit-during-load-N it ends the process with code N.
void RunLifecycle(const Knobs& knobs, BackendState* state);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_LIFECYCLE_H_
