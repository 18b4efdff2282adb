// Quoting for POSIX shell command lines: everything the SLURM driver sends
// to a shell (locally, over ssh, in a batch script) passes through here.
#ifndef TAO_PLATFORMS_SLURM_SHELL_QUOTE_H_
#define TAO_PLATFORMS_SLURM_SHELL_QUOTE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tao::platforms::slurm {

// Quotes `word` as Python's shlex.quote does: empty -> '', words made only
// of [A-Za-z0-9@%+=:,./_-] unchanged, anything else in single quotes with
// each ' written as '"'"'.
std::string ShellQuote(absl::string_view word);

// Quotes each word and joins them with spaces.
std::string ShellJoin(const std::vector<std::string>& words);

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_SHELL_QUOTE_H_
