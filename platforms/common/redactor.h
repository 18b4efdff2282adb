// Removes secret values from text that leaves the server: backend error
// messages, container and job log tails, platform error output. The one
// redaction rule of the project; the core and every driver use it.
#ifndef TAO_PLATFORMS_COMMON_REDACTOR_H_
#define TAO_PLATFORMS_COMMON_REDACTOR_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tao::platforms {

class Redactor {
 public:
  // What every hidden value is replaced with.
  static constexpr absl::string_view kPlaceholder = "[REDACTED]";
  // Values shorter than this are not secrets worth the name; hiding them
  // would mangle ordinary text and reveal little.
  static constexpr size_t kMinSecretLength = 4;

  Redactor() = default;
  // `secrets` are the values to hide; those shorter than kMinSecretLength
  // are ignored.
  explicit Redactor(std::vector<std::string> secrets);
  // The values of a name -> value map (a LaunchSpec's secret_env).
  static Redactor ForValues(const std::map<std::string, std::string>& secrets);

  // True when `value` is long enough to be hidden (and to be looked for in
  // requests, which must not carry secrets).
  static bool IsSecretWorthy(absl::string_view value) {
    return value.size() >= kMinSecretLength;
  }

  // `text` with every occurrence of a secret replaced by kPlaceholder.
  std::string Redact(absl::string_view text) const;

 private:
  std::vector<std::string> secrets_;
};

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_COMMON_REDACTOR_H_
