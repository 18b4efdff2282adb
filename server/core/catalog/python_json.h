// JSON text exactly as Python's json.dumps(obj, separators=(",", ":")) writes
// it with its default ensure_ascii=True: the cosmos-rl inner command embeds
// such text and must match the original skill byte for byte. nlohmann::json
// writes non-ASCII raw, so it cannot be used here.
#ifndef TAO_SERVER_CORE_CATALOG_PYTHON_JSON_H_
#define TAO_SERVER_CORE_CATALOG_PYTHON_JSON_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tao::catalog {

// Appends `utf8` as a quoted JSON string: \" \\ \n \r \t \b \f, every other
// byte outside ' '..'~' as \u00XX / \uXXXX (lower-case hex; surrogate pairs
// above U+FFFF); '/' is not escaped. INVALID_ARGUMENT when `utf8` is not
// valid UTF-8 (Python strings always are).
absl::Status AppendPythonJsonString(absl::string_view utf8, std::string* out);

// {"k1":"v1","k2":"v2"} in the given order; values are strings.
absl::StatusOr<std::string> PythonJsonObject(
    const std::vector<std::pair<std::string, std::string>>& members);

}  // namespace tao::catalog

#endif  // TAO_SERVER_CORE_CATALOG_PYTHON_JSON_H_
