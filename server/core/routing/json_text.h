// Small JSON writers for the chat-completions body. The body is written by
// hand, not through a JSON DOM, so that megabytes of base64 media are copied
// once into it instead of once into a DOM node and again on dump.
#ifndef TAO_SERVER_CORE_ROUTING_JSON_TEXT_H_
#define TAO_SERVER_CORE_ROUTING_JSON_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tao::routing {

// Appends `text` as a quoted JSON string. Escapes quote, backslash and
// control characters; other bytes pass through (proto3 strings are UTF-8).
void AppendJsonString(absl::string_view text, std::string* out);

// The shortest decimal text that reads back as `value` ("0.7", "2.0", "1e-05"),
// as Python's json module and nlohmann::json print it. `value` must be finite.
std::string JsonDouble(double value);

}  // namespace tao::routing

#endif  // TAO_SERVER_CORE_ROUTING_JSON_TEXT_H_
