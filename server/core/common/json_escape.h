// The two-character JSON string escapes, shared by the hand-written JSON
// writers (the catalog's Python-exact text, the routing's request bodies).
#ifndef TAO_SERVER_CORE_COMMON_JSON_ESCAPE_H_
#define TAO_SERVER_CORE_COMMON_JSON_ESCAPE_H_

#include <cstdint>
#include <string>

namespace tao::core {

// Appends the short escape of `c` (\" \\ \n \r \t \b \f) and returns true;
// returns false and appends nothing when `c` has none.
inline bool AppendShortJsonEscape(uint32_t c, std::string* out) {
  switch (c) {
    case '"':
      out->append("\\\"");
      return true;
    case '\\':
      out->append("\\\\");
      return true;
    case '\n':
      out->append("\\n");
      return true;
    case '\r':
      out->append("\\r");
      return true;
    case '\t':
      out->append("\\t");
      return true;
    case '\b':
      out->append("\\b");
      return true;
    case '\f':
      out->append("\\f");
      return true;
    default:
      return false;
  }
}

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_COMMON_JSON_ESCAPE_H_
