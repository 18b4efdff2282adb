#include "platforms/slurm/shell_quote.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

namespace tao::platforms::slurm {
namespace {

bool IsSafe(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("@%+=:,./_-").find(c) != absl::string_view::npos;
}

}  // namespace

std::string ShellQuote(absl::string_view word) {
  if (word.empty()) return "''";
  bool safe = true;
  for (char c : word) safe = safe && IsSafe(c);
  if (safe) return std::string(word);
  return "'" + absl::StrReplaceAll(word, {{"'", "'\"'\"'"}}) + "'";
}

std::string ShellJoin(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += ShellQuote(word);
  }
  return out;
}

}  // namespace tao::platforms::slurm
