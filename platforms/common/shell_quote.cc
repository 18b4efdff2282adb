#include "platforms/common/shell_quote.h"

#include "absl/strings/str_replace.h"

namespace tao::platforms {
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

std::string SingleQuote(absl::string_view word) {
  return "'" + absl::StrReplaceAll(word, {{"'", "'\"'\"'"}}) + "'";
}

std::string ShellQuote(absl::string_view word) {
  if (word.empty()) return "''";
  for (char c : word) {
    if (!IsShellSafe(c)) return SingleQuote(word);
  }
  return std::string(word);
}

std::string ShellJoin(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += ShellQuote(word);
  }
  return out;
}

}  // namespace tao::platforms
