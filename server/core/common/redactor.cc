#include "server/core/common/redactor.h"

#include <algorithm>

#include "absl/strings/str_replace.h"

namespace tao::core {

Redactor::Redactor(std::vector<std::string> secrets) {
  for (std::string& secret : secrets) {
    if (secret.size() >= 4) secrets_.push_back(std::move(secret));
  }
  // Longest first, so a secret containing another is replaced whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() > b.size();
            });
}

std::string Redactor::Redact(absl::string_view text) const {
  std::string out(text);
  for (const std::string& secret : secrets_) {
    out = absl::StrReplaceAll(out, {{secret, "[REDACTED]"}});
  }
  return out;
}

}  // namespace tao::core
