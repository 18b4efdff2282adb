// How HTTP answers and transport failures become absl::Status: the one
// mapping every HTTP user (backend calls, the Docker Engine API, REST
// drivers) shares, so that a 404 or a refused connection means the same
// code everywhere.
#ifndef TAO_PLATFORMS_COMMON_HTTP_HTTP_STATUS_H_
#define TAO_PLATFORMS_COMMON_HTTP_HTTP_STATUS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "platforms/common/http/http_types.h"

namespace tao::platforms::http {

// The status code of an HTTP answer (after Google's AIP-193 table):
// 2xx OK, 400 and 422 INVALID_ARGUMENT, 401 UNAUTHENTICATED,
// 403 PERMISSION_DENIED, 404 NOT_FOUND, 409 ALREADY_EXISTS,
// 412 FAILED_PRECONDITION, 429 RESOURCE_EXHAUSTED, 499 CANCELLED,
// 501 UNIMPLEMENTED, 502 and 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED,
// other 4xx FAILED_PRECONDITION, other codes INTERNAL.
absl::StatusCode HttpStatusCode(long http_status);

// OK for a 2xx answer, else HttpStatusCode(http_status) with `message`.
absl::Status HttpStatusToStatus(long http_status, absl::string_view message);

// The status of an exchange that got no HTTP answer (`exchange.answered()`
// is false), naming `peer` ("the backend at http://..."):
//   kCouldNotConnect -> UNAVAILABLE "could not connect to <peer>: ...
//       (the request was not sent)"; RequestNotSent() is true for it
//   kTimedOut        -> DEADLINE_EXCEEDED
//   kCancelled       -> CANCELLED
//   kBadUrl          -> FAILED_PRECONDITION
//   kResendRefused, kOther -> UNAVAILABLE saying the request may have been
//       processed (so it was not sent again)
// Messages say when the peer may still process a request it received.
absl::Status TransportStatus(const HttpExchange& exchange,
                             absl::string_view peer, absl::Duration timeout);

// True for a status from TransportStatus whose request certainly never
// reached the peer: the one case in which sending it again is safe.
bool RequestNotSent(const absl::Status& status);

// A short name for `error` ("could not connect", "timed out", ...).
absl::string_view TransportErrorName(TransportError error);

}  // namespace tao::platforms::http

#endif  // TAO_PLATFORMS_COMMON_HTTP_HTTP_STATUS_H_
