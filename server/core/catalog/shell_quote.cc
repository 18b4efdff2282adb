// Python's shlex.quote (Lib/shlex.py), byte for byte: the inner command must
// match what the original skill generated.
#include <string>

#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "server/core/catalog/catalog.h"
#include "server/core/catalog/catalog_data.h"

namespace tao::catalog {
namespace {

// shlex's safe set: [\w@%+=:,./-] with re.ASCII, so \w is [A-Za-z0-9_].
bool IsShellSafe(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9')) {
    return true;
  }
  return absl::string_view("_@%+=:,./-").find(c) != absl::string_view::npos;
}

}  // namespace

std::string SingleQuote(absl::string_view text) {
  return "'" + absl::StrReplaceAll(text, {{"'", "'\"'\"'"}}) + "'";
}

std::string ShellQuote(absl::string_view text) {
  if (text.empty()) return "''";
  for (char c : text) {
    if (!IsShellSafe(c)) return SingleQuote(text);
  }
  return std::string(text);
}

}  // namespace tao::catalog
