#include "server/core/common/errors.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace tao::core {
namespace {
constexpr absl::string_view kDetailsTypeUrl =
    "type.googleapis.com/tao.inference.v1.ErrorDetails";
}  // namespace

absl::Status WithDetails(absl::Status status,
                         const tao::inference::v1::ErrorDetails& details) {
  status.SetPayload(kDetailsTypeUrl, absl::Cord(details.SerializeAsString()));
  return status;
}

std::optional<tao::inference::v1::ErrorDetails> GetDetails(
    const absl::Status& status) {
  auto payload = status.GetPayload(kDetailsTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  tao::inference::v1::ErrorDetails details;
  if (!details.ParseFromString(std::string(*payload))) return std::nullopt;
  return details;
}

absl::Status InvalidField(absl::string_view field,
                          absl::string_view description) {
  tao::inference::v1::ErrorDetails details;
  details.set_reason_code(tao::inference::v1::ERROR_REASON_INVALID_FIELD);
  auto* violation = details.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
  return WithDetails(
      absl::InvalidArgumentError(absl::StrCat(field, ": ", description)),
      details);
}

}  // namespace tao::core
