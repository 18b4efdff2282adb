// Quoting for POSIX shell command lines: everything the server sends to a
// shell (the catalog's inner commands, commands run locally or over ssh,
// batch scripts) passes through here.
#ifndef TAO_PLATFORMS_COMMON_SHELL_QUOTE_H_
#define TAO_PLATFORMS_COMMON_SHELL_QUOTE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tao::platforms {

// Quotes `word` as Python's shlex.quote does (Lib/shlex.py), byte for byte,
// so that inner commands match what the original skill generated: empty ->
// '', words made only of [A-Za-z0-9@%+=:,./_-] unchanged, anything else in
// single quotes with each ' written as '"'"'.
std::string ShellQuote(absl::string_view word);

// Always single-quotes `word` (each ' written as '"'"'), even when
// ShellQuote would leave it bare.
std::string SingleQuote(absl::string_view word);

// Quotes each word with ShellQuote and joins them with spaces.
std::string ShellJoin(const std::vector<std::string>& words);

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_COMMON_SHELL_QUOTE_H_
