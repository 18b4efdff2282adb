// The one mapping from absl::Status to grpc::Status.
#ifndef TAO_SERVER_SERVICE_GRPC_STATUS_H_
#define TAO_SERVER_SERVICE_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace tao::service {

// Same code and message; ErrorDetails attached with core::WithDetails travel
// in `grpc-status-details-bin` as an ErrorStatus (google.rpc.Status layout).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace tao::service

#endif  // TAO_SERVER_SERVICE_GRPC_STATUS_H_
