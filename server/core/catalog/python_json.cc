#include "server/core/catalog/python_json.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "server/core/common/json_escape.h"

namespace tao::catalog {
namespace {

// Decodes one code point starting at text[*pos]; advances *pos. False on
// malformed, overlong or surrogate sequences.
bool DecodeUtf8(absl::string_view text, size_t* pos, uint32_t* code_point) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(*pos);
  int length = 0;
  uint32_t value = 0;
  uint32_t smallest = 0;
  if (lead < 0x80) {
    *code_point = lead;
    *pos += 1;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    smallest = 0x10000;
  } else {
    return false;
  }
  if (*pos + length > text.size()) return false;
  for (int i = 1; i < length; ++i) {
    const uint8_t next = byte(*pos + i);
    if ((next & 0xC0) != 0x80) return false;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < smallest || value > 0x10FFFF ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return false;
  }
  *code_point = value;
  *pos += length;
  return true;
}

void AppendEscapedCodePoint(uint32_t code_point, std::string* out) {
  if (code_point > 0xFFFF) {
    const uint32_t offset = code_point - 0x10000;
    absl::StrAppendFormat(out, "\\u%04x\\u%04x", 0xD800 + (offset >> 10),
                          0xDC00 + (offset & 0x3FF));
  } else {
    absl::StrAppendFormat(out, "\\u%04x", code_point);
  }
}

}  // namespace

absl::Status AppendPythonJsonString(absl::string_view utf8, std::string* out) {
  out->push_back('"');
  size_t pos = 0;
  while (pos < utf8.size()) {
    uint32_t code_point = 0;
    if (!DecodeUtf8(utf8, &pos, &code_point)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("is not valid UTF-8 (bad byte at offset %d)", pos));
    }
    if (core::AppendShortJsonEscape(code_point, out)) continue;
    // Python's ESCAPE_ASCII is [^\ -~]: DEL (0x7f) is escaped too.
    if (code_point >= 0x20 && code_point <= 0x7E) {
      out->push_back(static_cast<char>(code_point));
    } else {
      AppendEscapedCodePoint(code_point, out);
    }
  }
  out->push_back('"');
  return absl::OkStatus();
}

absl::StatusOr<std::string> PythonJsonObject(
    const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (absl::Status s = AppendPythonJsonString(members[i].first, &out);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("key %d %s", i, s.message()));
    }
    out.push_back(':');
    if (absl::Status s = AppendPythonJsonString(members[i].second, &out);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("value of %s %s", members[i].first, s.message()));
    }
  }
  out.push_back('}');
  return out;
}

}  // namespace tao::catalog
