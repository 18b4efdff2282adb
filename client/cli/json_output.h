// JSON for scripts: protobuf messages in their canonical JSON mapping (proto
// field names kept), errors as {"error":{...}}.
#ifndef TAO_CLIENT_CLI_JSON_OUTPUT_H_
#define TAO_CLIENT_CLI_JSON_OUTPUT_H_

#include <google/protobuf/message.h>

#include <ostream>
#include <string>

#include "client/cli/cli_error.h"
#include "nlohmann/json.hpp"

namespace tao::cli {

// The message as JSON with proto field names and every scalar field (also
// zero values), so scripts can rely on the keys being there.
nlohmann::json ProtoToJson(const google::protobuf::Message& message);

// {"error":{"code":"NOT_FOUND","grpc_code":5,"exit_code":3,"message":...,
//  "details":{...ErrorDetails..., plus the CLI's extra facts}}}.
nlohmann::json ErrorToJson(const CliError& error);

// The canonical name of a gRPC code, e.g. "INVALID_ARGUMENT".
std::string CodeName(grpc::StatusCode code);

// Writes one JSON document and a newline.
void PrintJson(std::ostream& out, const nlohmann::json& document);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_JSON_OUTPUT_H_
