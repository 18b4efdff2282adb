#include "client/cli/platform_options.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "proto/support/platform_options.h"

namespace tao::cli {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string FieldNames(const google::protobuf::Descriptor& message) {
  std::vector<std::string> names;
  for (int i = 0; i < message.field_count(); ++i) {
    names.push_back(message.field(i)->name());
  }
  return absl::StrJoin(names, ", ");
}

absl::Status SetField(const FieldDescriptor& field, const std::string& value,
                      Message* message) {
  const google::protobuf::Reflection* reflection = message->GetReflection();
  if (field.is_repeated() &&
      field.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
    for (absl::string_view item :
         absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      reflection->AddString(message, &field,
                            std::string(absl::StripAsciiWhitespace(item)));
    }
    return absl::OkStatus();
  }
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(message, &field, value);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) {
        return absl::InvalidArgumentError(
            absl::StrCat("--option ", field.name(), ": '", value,
                         "' is not a whole number"));
      }
      reflection->SetInt32(message, &field, number);
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "--option ", field.name(), " cannot be set from the command line"));
  }
}

}  // namespace

absl::Status SetPlatformOptions(
    const std::string& platform,
    const std::map<std::string, std::string>& options,
    tao::inference::v1::StartRequest* request) {
  if (options.empty()) return absl::OkStatus();
  const FieldDescriptor* options_field =
      inference::PlatformOptionsField(platform);
  if (options_field == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--option: platform '", platform, "' takes no options"));
  }
  Message* message =
      request->GetReflection()->MutableMessage(request, options_field);
  for (const auto& [name, value] : options) {
    const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(
        absl::StrReplaceAll(name, {{"-", "_"}}));
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--option: ", platform, " has no option '", name,
                       "'; it has ", FieldNames(*message->GetDescriptor())));
    }
    if (absl::Status s = SetField(*field, value, message); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace tao::cli
