// POST /_reference/control of the reference test backend: a JSON object
// that scripts the next chat answers or sets the lifecycle state.
//   {"state":"loading"|"ready"|"load_failed"|..., "message":M}
//   {"chat_status":500,"error_type":"internal_error","message":M,"count":1}
//   {"chat_delay_ms":N} / {"close_connection":true} (with "count" too)
//   {"reset":true}  forget scripted answers not used yet
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_CONTROL_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_CONTROL_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tests/fakes/reference_backend_state.h"

namespace tao::fakes {

// Applies one control request. Errors: INVALID_ARGUMENT naming the field.
absl::Status ApplyControl(absl::string_view body, BackendState* state);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_CONTROL_H_
