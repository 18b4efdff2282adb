#include "platforms/common/http/http_status.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace tao::platforms::http {
namespace {

// Marks a transport failure whose request never left this process.
constexpr absl::string_view kNotSentPayload =
    "type.tao.inference/tao.platforms.http.RequestNotSent";

}  // namespace

absl::StatusCode HttpStatusCode(long http_status) {
  if (http_status >= 200 && http_status < 300) return absl::StatusCode::kOk;
  switch (http_status) {
    case 400:
    case 422:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 409:
      return absl::StatusCode::kAlreadyExists;
    case 412:
      return absl::StatusCode::kFailedPrecondition;
    case 429:
      return absl::StatusCode::kResourceExhausted;
    case 499:
      return absl::StatusCode::kCancelled;
    case 501:
      return absl::StatusCode::kUnimplemented;
    case 502:
    case 503:
      return absl::StatusCode::kUnavailable;
    case 504:
      return absl::StatusCode::kDeadlineExceeded;
    default:
      break;
  }
  if (http_status >= 400 && http_status < 500) {
    return absl::StatusCode::kFailedPrecondition;
  }
  return absl::StatusCode::kInternal;
}

absl::Status HttpStatusToStatus(long http_status, absl::string_view message) {
  const absl::StatusCode code = HttpStatusCode(http_status);
  if (code == absl::StatusCode::kOk) return absl::OkStatus();
  return absl::Status(code, message);
}

absl::Status TransportStatus(const HttpExchange& exchange,
                             absl::string_view peer, absl::Duration timeout) {
  const std::string cause = exchange.error == TransportError::kResendRefused
                                ? "a kept-alive connection closed without an "
                                  "answer"
                                : exchange.cause;
  switch (exchange.error) {
    case TransportError::kNone:
      return absl::OkStatus();
    case TransportError::kCancelled:
      return absl::CancelledError(
          absl::StrCat("the request to ", peer, " was cancelled",
                       exchange.request_started
                           ? absl::StrCat("; ", peer, " may still process it")
                           : ""));
    case TransportError::kBadUrl:
      return absl::FailedPreconditionError(
          absl::StrCat(peer, " is not a usable http(s) URL: ", cause));
    case TransportError::kTimedOut:
      return absl::DeadlineExceededError(absl::StrCat(
          peer, " did not answer within ", absl::FormatDuration(timeout), " (",
          cause, ")",
          exchange.request_started
              ? absl::StrCat("; ", peer, " may still process the request")
              : ""));
    case TransportError::kCouldNotConnect: {
      absl::Status status = absl::UnavailableError(
          absl::StrCat("could not connect to ", peer, ": ", cause,
                       " (the request was not sent)"));
      status.SetPayload(kNotSentPayload, absl::Cord("1"));
      return status;
    }
    case TransportError::kResendRefused:
    case TransportError::kOther:
      break;
  }
  return absl::UnavailableError(
      absl::StrCat("the connection to ", peer,
                   " was lost after the request was sent (", cause,
                   "); the request may have been processed, so it was not sent "
                   "again"));
}

bool RequestNotSent(const absl::Status& status) {
  return absl::IsUnavailable(status) &&
         status.GetPayload(kNotSentPayload).has_value();
}

absl::string_view TransportErrorName(TransportError error) {
  switch (error) {
    case TransportError::kNone:
      return "answered";
    case TransportError::kCouldNotConnect:
      return "could not connect";
    case TransportError::kTimedOut:
      return "timed out";
    case TransportError::kCancelled:
      return "cancelled";
    case TransportError::kBadUrl:
      return "bad URL";
    case TransportError::kResendRefused:
      return "connection closed without an answer";
    case TransportError::kOther:
      return "connection lost";
  }
  return "connection lost";
}

}  // namespace tao::platforms::http
