#include "server/service/grpc_status.h"

#include <string>

#include "server/core/common/errors.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::service {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering.
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());
  std::optional<tao::inference::v1::ErrorDetails> details =
      core::GetDetails(status);
  if (!details.has_value()) return grpc::Status(code, message);
  tao::inference::v1::ErrorStatus rich;
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  rich.add_details()->PackFrom(*details);
  return grpc::Status(code, message, rich.SerializeAsString());
}

}  // namespace tao::service
