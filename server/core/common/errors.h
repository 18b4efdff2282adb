// Helpers to attach machine-readable details (tao.inference.v1.ErrorDetails)
// to an absl::Status. The service layer turns them into the gRPC
// `grpc-status-details-bin` trailer (see server/service/grpc_status.h).
#ifndef TAO_SERVER_CORE_COMMON_ERRORS_H_
#define TAO_SERVER_CORE_COMMON_ERRORS_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::core {

// Stable values of ErrorDetails.reason.
inline constexpr absl::string_view kReasonAmbiguousTarget = "AMBIGUOUS_TARGET";
inline constexpr absl::string_view kReasonNoService = "NO_SERVICE";
inline constexpr absl::string_view kReasonInvalidField = "INVALID_FIELD";
inline constexpr absl::string_view kReasonBackendError = "BACKEND_ERROR";
inline constexpr absl::string_view kReasonModelLoadFailed = "MODEL_LOAD_FAILED";
inline constexpr absl::string_view kReasonNotReady = "NOT_READY";

// Returns `status` with `details` attached (replacing earlier details).
absl::Status WithDetails(absl::Status status,
                         const tao::inference::v1::ErrorDetails& details);

// The details attached by WithDetails, if any.
std::optional<tao::inference::v1::ErrorDetails> GetDetails(
    const absl::Status& status);

// INVALID_ARGUMENT "<field>: <description>" with one FieldViolation.
absl::Status InvalidField(absl::string_view field,
                          absl::string_view description);

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_COMMON_ERRORS_H_
