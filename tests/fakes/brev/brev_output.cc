#include "tests/fakes/brev/brev_output.h"

#include <unistd.h>

#include <cerrno>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/fakes/brev/stdio_kind.h"

namespace tao::fakes::brev {
namespace {

void WriteAll(int fd, absl::string_view text) {
  while (!text.empty()) {
    const ssize_t n = write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed reader: brev would die of SIGPIPE
    text.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

Output::Output(bool errors_to_stdout)
    : stdout_piped_(IsPiped(STDOUT_FILENO)),
      stdout_tty_(isatty(STDOUT_FILENO) == 1),
      errors_to_stdout_(errors_to_stdout) {}

void Output::Out(absl::string_view text) const {
  WriteAll(STDOUT_FILENO, text);
}

void Output::Err(absl::string_view text) const {
  WriteAll(STDERR_FILENO, text);
}

void Output::Progress(absl::string_view text) const {
  WriteAll(stdout_piped_ ? STDERR_FILENO : STDOUT_FILENO, text);
}

void Output::PrintError(const absl::Status& error) const {
  std::string line(error.message());
  if (stdout_tty_) {
    const char* colour = absl::IsInvalidArgument(error) ? "33" : "31";
    line = absl::StrCat("\x1b[", colour, "m", line, "\x1b[0m");
  }
  line += "\n";
  WriteAll(errors_to_stdout_ ? STDOUT_FILENO : STDERR_FILENO, line);
}

absl::Status ValidationError(absl::string_view message) {
  return absl::InvalidArgumentError(message);
}

absl::Status BrevError(absl::string_view message) {
  return absl::UnknownError(message);
}

}  // namespace tao::fakes::brev
