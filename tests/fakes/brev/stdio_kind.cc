#include "tests/fakes/brev/stdio_kind.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace tao::fakes::brev {

std::string StdioKind(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return "closed";
  if (S_ISCHR(st.st_mode)) {
    if (isatty(fd)) return "tty";
    // /dev/null is character device 1:3 on Linux.
    if (major(st.st_rdev) == 1 && minor(st.st_rdev) == 3) return "devnull";
    return "chardev";
  }
  if (S_ISFIFO(st.st_mode)) return "pipe";
  if (S_ISREG(st.st_mode)) return "file";
  if (S_ISSOCK(st.st_mode)) return "socket";
  return "other";
}

bool IsPiped(int fd) {
  struct stat st;
  // A closed descriptor: brev's Stat() fails and it would dereference a nil
  // FileInfo; the fake calls it piped instead of crashing.
  if (fstat(fd, &st) != 0) return true;
  return !S_ISCHR(st.st_mode);
}

StdioKinds ThisProcessStdio() {
  return {StdioKind(STDIN_FILENO), StdioKind(STDOUT_FILENO),
          StdioKind(STDERR_FILENO)};
}

}  // namespace tao::fakes::brev
