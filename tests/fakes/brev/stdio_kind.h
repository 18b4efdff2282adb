// What a standard stream of this process is. brev decides by it: stdin that
// is not a character device is read as instance names, stdout that is not
// one gets only names (cmd/util/piping.go). /dev/null is a character
// device, so it counts as "not piped" both ways.
#ifndef TAO_TESTS_FAKES_BREV_STDIO_KIND_H_
#define TAO_TESTS_FAKES_BREV_STDIO_KIND_H_

#include <string>

namespace tao::fakes::brev {

// "tty", "devnull", "chardev" (another character device), "pipe", "file",
// "socket", "closed" or "other"; recorded in calls.jsonl.
std::string StdioKind(int fd);

// Go's `(mode & os.ModeCharDevice) == 0`: a pipe, file or socket.
bool IsPiped(int fd);

struct StdioKinds {
  std::string in, out, err;
};
StdioKinds ThisProcessStdio();

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_STDIO_KIND_H_
