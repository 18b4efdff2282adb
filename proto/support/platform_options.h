// The per-platform options of a StartRequest (oneof platform_options:
// docker, brev, lepton, slurm, kubernetes) handled by field name, so that
// the CLI's --option and the server's flattening into LaunchSpec::options
// follow the proto instead of lists of their own.
#ifndef TAO_PROTO_SUPPORT_PLATFORM_OPTIONS_H_
#define TAO_PROTO_SUPPORT_PLATFORM_OPTIONS_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace tao::inference {

// The StartRequest field that holds the options of `platform`
// ("local-docker" -> docker, the others by their own name); null when the
// API has no options for it.
const google::protobuf::FieldDescriptor* PlatformOptionsField(
    absl::string_view platform);

// The platform whose options `field` (a field of oneof platform_options)
// holds: the inverse of PlatformOptionsField.
std::string PlatformOfOptionsField(
    const google::protobuf::FieldDescriptor& field);

// Every set field of an options message, by field name: strings as they
// are, numbers in decimal, lists joined with ","; empty strings, zeros and
// empty lists are left out (unset).
std::map<std::string, std::string> FlattenOptions(
    const google::protobuf::Message& options);

}  // namespace tao::inference

#endif  // TAO_PROTO_SUPPORT_PLATFORM_OPTIONS_H_
