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

// The cause a client acts on is ErrorDetails.reason_code, one of the
// proto's tao::inference::v1::ErrorReason values (ERROR_REASON_NO_SERVICE,
// ...): the API's enum is the only list of reasons.

// Returns `status` with `details` attached (replacing earlier details).
absl::Status WithDetails(absl::Status status,
                         const tao::inference::v1::ErrorDetails& details);

// The details attached by WithDetails, if any.
std::optional<tao::inference::v1::ErrorDetails> GetDetails(
    const absl::Status& status);

// INVALID_ARGUMENT "<field>: <description>" with one FieldViolation
// (reason ERROR_REASON_INVALID_FIELD).
absl::Status InvalidField(absl::string_view field,
                          absl::string_view description);

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_COMMON_ERRORS_H_
