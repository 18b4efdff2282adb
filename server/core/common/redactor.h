// Removes secret values from text that leaves the server (backend error
// messages, container log tails, platform error output).
#ifndef TAO_SERVER_CORE_COMMON_REDACTOR_H_
#define TAO_SERVER_CORE_COMMON_REDACTOR_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tao::core {

class Redactor {
 public:
  Redactor() = default;
  // `secrets` are the values to hide; values shorter than 4 characters are
  // ignored (hiding them would mangle ordinary text and reveal little).
  explicit Redactor(std::vector<std::string> secrets);

  // `text` with every occurrence of a secret replaced by "[REDACTED]".
  std::string Redact(absl::string_view text) const;

 private:
  std::vector<std::string> secrets_;
};

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_COMMON_REDACTOR_H_
