#include "tests/fakes/kubernetes/openapi_v2.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "tests/fakes/kubernetes/resources.h"

namespace tao::fakes::kubernetes {
namespace {

// Protobuf wire format: only length-delimited fields (strings and
// messages) are needed.
void Varint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

std::string Field(int number, const std::string& bytes) {
  std::string out;
  Varint(static_cast<uint64_t>(number) << 3 | 2, &out);
  Varint(bytes.size(), &out);
  return out + bytes;
}

// Field numbers from OpenAPIv2.proto.
std::string PatchPath(const ResourceInfo& info) {
  std::string query_param = Field(2, "query") + Field(4, "fieldValidation") +
                            Field(6, "string");  // QueryParameterSubSchema
  std::string parameter =
      Field(1, Field(2, Field(3, query_param)));  // ParametersItem
  std::string gvk_yaml =
      absl::StrCat("group: \"", info.group, "\"\nkind: ", info.kind,
                   "\nversion: ", info.version, "\n");
  std::string extension = Field(1, "x-kubernetes-group-version-kind") +
                          Field(2, Field(2, gvk_yaml));  // NamedAny{Any}
  std::string operation = Field(8, parameter) + Field(13, extension);
  std::string path_item = Field(8, operation);  // PathItem.patch
  std::string route =
      absl::StrCat(info.GroupVersionPath(), "/namespaces/{namespace}/",
                   info.resource, "/{name}");
  return Field(1, route) + Field(2, path_item);  // NamedPathItem
}

}  // namespace

std::string OpenApiV2Protobuf() {
  std::string paths;
  for (const ResourceInfo& info : AllResources()) {
    if (info.namespaced) paths += Field(2, PatchPath(info));  // Paths.path
  }
  std::string info = Field(1, "Kubernetes") + Field(2, "v1.31.0");
  return Field(1, "2.0") + Field(2, info) + Field(8, paths);
}

}  // namespace tao::fakes::kubernetes
