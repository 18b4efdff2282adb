#include "server/service/architecture_description.h"

#include <string>
#include <vector>

namespace tao::service {
namespace {

namespace v1 = ::tao::inference::v1;

v1::SamplingFieldType TypeOf(catalog::SamplingField::Type type) {
  switch (type) {
    case catalog::SamplingField::Type::kInt:
      return v1::SAMPLING_FIELD_TYPE_INT;
    case catalog::SamplingField::Type::kFloat:
      return v1::SAMPLING_FIELD_TYPE_FLOAT;
    case catalog::SamplingField::Type::kString:
      return v1::SAMPLING_FIELD_TYPE_STRING;
  }
  return v1::SAMPLING_FIELD_TYPE_UNSPECIFIED;
}

v1::SamplingFieldDescription Describe(const catalog::SamplingField& field) {
  v1::SamplingFieldDescription description;
  description.set_name(field.name);
  description.set_type(TypeOf(field.type));
  if (field.default_value) description.set_default_value(*field.default_value);
  if (field.min) {
    description.mutable_min()->set_value(*field.min);
    description.mutable_min()->set_exclusive(field.min_exclusive);
  }
  // The catalog has no exclusive maximum.
  if (field.max) description.mutable_max()->set_value(*field.max);
  description.set_description(field.description);
  return description;
}

void SetMediaKind(const std::vector<std::string>& extensions,
                  const std::vector<std::string>& mime_types,
                  v1::MediaKind* kind) {
  kind->mutable_extensions()->Assign(extensions.begin(), extensions.end());
  kind->mutable_mime_types()->Assign(mime_types.begin(), mime_types.end());
}

}  // namespace

v1::DescribeArchitecturesResponse DescribeArchitectures(
    const catalog::Catalog& catalog) {
  v1::DescribeArchitecturesResponse response;
  for (const catalog::ArchRules* rules : catalog.AllRules()) {
    v1::ArchitectureDescription* arch = response.add_architectures();
    arch->set_network_arch(rules->network_arch);
    for (const catalog::SamplingField& field : rules->sampling) {
      if (field.supported) *arch->add_sampling_fields() = Describe(field);
    }
    SetMediaKind(rules->image_extensions, rules->image_mime_types,
                 arch->mutable_image());
    SetMediaKind(rules->video_extensions, rules->video_mime_types,
                 arch->mutable_video());
    arch->set_media_required(rules->media_required);
    arch->set_media_response(rules->media_response);
  }
  return response;
}

}  // namespace tao::service
