// Reading the inference container's HTTP answers (spec §7 and §9) into
// Readiness verdicts and absl::Status errors. Pure functions: no I/O.
#ifndef TAO_SERVER_CORE_BACKEND_BACKEND_ANSWERS_H_
#define TAO_SERVER_CORE_BACKEND_BACKEND_ANSWERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "platforms/common/redactor.h"
#include "server/core/backend/backend_client.h"

namespace tao::backend {

// Longest backend message kept in a status or verdict (after redaction).
inline constexpr size_t kMaxBackendMessageChars = 2000;

// The type and message of an error body. Understands
// {"error":{"type":T,"message":M}} and {"status":..,"reason":R,"message":M};
// both empty when the body is neither.
struct BackendError {
  std::string type;
  std::string message;
};
BackendError ParseBackendError(absl::string_view body);

// `text` redacted, then cut to kMaxBackendMessageChars (in that order, so a
// cut never leaves part of a secret behind).
std::string CleanMessage(absl::string_view text,
                         const platforms::Redactor& redactor);

// The verdict for a readiness answer with HTTP status `http_status`.
Readiness ReadinessFromAnswer(long http_status, absl::string_view body,
                              const platforms::Redactor& redactor);

// The error for a chat answer other than HTTP 200, with ErrorDetails
// (reason_code, backend_error_type, backend_http_status) attached.
absl::Status ChatErrorFromAnswer(long http_status, absl::string_view body,
                                 const platforms::Redactor& redactor);

}  // namespace tao::backend

#endif  // TAO_SERVER_CORE_BACKEND_BACKEND_ANSWERS_H_
