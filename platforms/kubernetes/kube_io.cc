#include "platforms/kubernetes/kube_io.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace tao::platforms::kubernetes {

std::optional<std::string> ProcessGetenv(absl::string_view name) {
  const char* value = ::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    int error = errno;
    std::string why = absl::StrCat(path, ": ", std::strerror(error));
    if (error == ENOENT || error == ENOTDIR) return absl::NotFoundError(why);
    return absl::PermissionDeniedError(why);
  }
  if (S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": is a directory, not a file"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::PermissionDeniedError(
        absl::StrCat(path, ": cannot be opened for reading"));
  }
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat(path, ": read failed"));
  }
  return text;
}

absl::StatusOr<FileStamp> StatFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    int error = errno;
    std::string why = absl::StrCat(path, ": ", std::strerror(error));
    if (error == ENOENT || error == ENOTDIR) return absl::NotFoundError(why);
    return absl::PermissionDeniedError(why);
  }
  FileStamp stamp;
  stamp.mtime_ns =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  stamp.size = static_cast<int64_t>(st.st_size);
  stamp.inode = static_cast<uint64_t>(st.st_ino);
  stamp.device = static_cast<uint64_t>(st.st_dev);
  stamp.regular_file = S_ISREG(st.st_mode);
  return stamp;
}

KubeIo WithDefaults(KubeIo io) {
  if (!io.getenv) io.getenv = ProcessGetenv;
  if (!io.read_file) io.read_file = ReadWholeFile;
  if (!io.stat) io.stat = StatFile;
  if (!io.now) io.now = [] { return absl::Now(); };
  return io;
}

}  // namespace tao::platforms::kubernetes
