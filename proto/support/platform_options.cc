#include "proto/support/platform_options.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::inference {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The one platform whose name differs from its options field.
constexpr absl::string_view kDockerPlatform = "local-docker";
constexpr absl::string_view kDockerField = "docker";

// One value of `field` (element `index` of a repeated one) as text.
std::string FieldText(const Message& message, const FieldDescriptor& field,
                      int index) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? r.GetRepeatedString(message, &field, index)
                      : r.GetString(message, &field);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(repeated ? r.GetRepeatedInt32(message, &field, index)
                                   : r.GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(repeated ? r.GetRepeatedInt64(message, &field, index)
                                   : r.GetInt64(message, &field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? r.GetRepeatedBool(message, &field, index)
                       : r.GetBool(message, &field))
                 ? "true"
                 : "false";
    default:  // options messages hold no other kinds
      return "";
  }
}

}  // namespace

const FieldDescriptor* PlatformOptionsField(absl::string_view platform) {
  const std::string name(platform == kDockerPlatform ? kDockerField : platform);
  const FieldDescriptor* field =
      v1::StartRequest::descriptor()->FindFieldByName(name);
  if (field == nullptr || field->containing_oneof() == nullptr ||
      field->containing_oneof()->name() != "platform_options" ||
      PlatformOfOptionsField(*field) != platform) {  // "docker" is no platform
    return nullptr;
  }
  return field;
}

std::string PlatformOfOptionsField(const FieldDescriptor& field) {
  return field.name() == kDockerField ? std::string(kDockerPlatform)
                                      : field.name();
}

std::map<std::string, std::string> FlattenOptions(const Message& options) {
  std::map<std::string, std::string> out;
  const Reflection& r = *options.GetReflection();
  std::vector<const FieldDescriptor*> set_fields;
  // Only fields that are set: proto3 scalars at their default are unset.
  r.ListFields(options, &set_fields);
  for (const FieldDescriptor* field : set_fields) {
    if (!field->is_repeated()) {
      out[field->name()] = FieldText(options, *field, 0);
      continue;
    }
    std::vector<std::string> items;
    for (int i = 0; i < r.FieldSize(options, field); ++i) {
      items.push_back(FieldText(options, *field, i));
    }
    out[field->name()] = absl::StrJoin(items, ",");
  }
  return out;
}

}  // namespace tao::inference
