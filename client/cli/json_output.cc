#include "client/cli/json_output.h"

#include <google/protobuf/util/json_util.h>

#include <string>

#include "absl/status/status.h"

namespace tao::cli {

nlohmann::json ProtoToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options)
           .ok()) {
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

std::string CodeName(grpc::StatusCode code) {
  // gRPC and absl share the canonical code numbering and names; a number
  // outside it (absl's "") reads as UNKNOWN.
  std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? "UNKNOWN" : name;
}

nlohmann::json ErrorToJson(const CliError& error) {
  nlohmann::json details =
      error.details ? ProtoToJson(*error.details) : nlohmann::json::object();
  if (error.extra.is_object()) {
    for (const auto& [key, value] : error.extra.items()) details[key] = value;
  }
  return {{"error",
           {{"code", CodeName(error.code)},
            {"grpc_code", static_cast<int>(error.code)},
            {"exit_code", error.exit_code()},
            {"message", error.message},
            {"details", details}}}};
}

void PrintJson(std::ostream& out, const nlohmann::json& document) {
  // Replace invalid UTF-8 instead of throwing: output must always appear.
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n";
}

}  // namespace tao::cli
