// Behaviour switches of the reference test backend, written into the model
// path as '+'-separated tokens: "hf_model://nvidia/test+load-ms-300+fail-load".
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_KNOBS_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_KNOBS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tao::fakes {

struct Knobs {
  absl::Duration init_time = absl::ZeroDuration();  // init-ms-N
  absl::Duration load_time = absl::ZeroDuration();  // load-ms-N
  bool fail_init = false;                           // fail-init
  bool fail_load = false;                           // fail-load
  int exit_during_load = -1;  // exit-during-load-N: exit code N, -1 = off
  // shape-status: readiness answers in the real server's
  // {"status":"not_ready","reason":R} shape instead of {"error":{...}}.
  bool status_shape = false;
  bool print_env = false;  // print-env: print environment variable NAMES
};

// Reads the tokens after the first '+'. Tokens it does not know are part
// of the model's name and ignored. Errors: INVALID_ARGUMENT for a known
// knob with a bad number ("load-ms-x").
absl::StatusOr<Knobs> ParseKnobs(absl::string_view model_path);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_KNOBS_H_
