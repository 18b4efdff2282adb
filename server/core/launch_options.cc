#include "server/core/launch_options.h"

#include "absl/strings/str_cat.h"
#include "proto/support/platform_options.h"
#include "server/core/common/errors.h"

namespace tao::core {

absl::StatusOr<std::map<std::string, std::string>> LaunchOptions(
    const tao::inference::v1::StartRequest& request) {
  const google::protobuf::FieldDescriptor* set_field =
      request.GetReflection()->GetOneofFieldDescriptor(
          request,
          request.GetDescriptor()->FindOneofByName("platform_options"));
  if (set_field == nullptr) return std::map<std::string, std::string>();
  const std::string platform = inference::PlatformOfOptionsField(*set_field);
  if (request.platform() != platform) {
    return InvalidField(
        set_field->name(),
        absl::StrCat("options for platform ", platform,
                     " were sent with platform \"", request.platform(), "\""));
  }
  return inference::FlattenOptions(
      request.GetReflection()->GetMessage(request, set_field));
}

}  // namespace tao::core
