#include "server/core/routing/json_text.h"

#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "server/core/common/json_escape.h"

namespace tao::routing {

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  size_t plain_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + plain_start, i - plain_start);
    plain_start = i + 1;
    if (!core::AppendShortJsonEscape(c, out)) {
      absl::StrAppendFormat(out, "\\u%04x", c);
    }
  }
  out->append(text.data() + plain_start, text.size() - plain_start);
  out->push_back('"');
}

std::string JsonDouble(double value) {
  // nlohmann prints the shortest round-trip form (Grisu2).
  return nlohmann::json(value).dump();
}

}  // namespace tao::routing
