// What the credential loader reads from outside the process: environment
// variables, files, file stamps and the clock. Every piece is injectable so
// that tests need no real HOME, /var/run/secrets or waiting.
#ifndef TAO_PLATFORMS_KUBERNETES_KUBE_IO_H_
#define TAO_PLATFORMS_KUBERNETES_KUBE_IO_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tao::platforms::kubernetes {

// What tells one version of a file from the next: a rotated projected
// token is a new file behind a symlink (new inode), an edited one has a new
// mtime or size.
struct FileStamp {
  int64_t mtime_ns = 0;
  int64_t size = 0;
  uint64_t inode = 0;
  uint64_t device = 0;
  bool regular_file = true;

  bool operator==(const FileStamp& other) const {
    return mtime_ns == other.mtime_ns && size == other.size &&
           inode == other.inode && device == other.device &&
           regular_file == other.regular_file;
  }
  bool operator!=(const FileStamp& other) const { return !(*this == other); }
};

struct KubeIo {
  // A variable of the environment; nullopt when unset. Null: ::getenv.
  std::function<std::optional<std::string>(absl::string_view name)> getenv;
  // The whole file. NOT_FOUND when it does not exist, another code when it
  // cannot be read; messages name the path, never the content. Null: the
  // file system.
  std::function<absl::StatusOr<std::string>(const std::string& path)> read_file;
  // The file's stamp, following symlinks; NOT_FOUND when it does not
  // exist. Null: stat(2).
  std::function<absl::StatusOr<FileStamp>(const std::string& path)> stat;
  // Null: absl::Now.
  std::function<absl::Time()> now;
};

// `io` with every null member replaced by the real one.
KubeIo WithDefaults(KubeIo io);

// The real implementations, for callers and tests that mix them.
std::optional<std::string> ProcessGetenv(absl::string_view name);
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);
absl::StatusOr<FileStamp> StatFile(const std::string& path);

}  // namespace tao::platforms::kubernetes

#endif  // TAO_PLATFORMS_KUBERNETES_KUBE_IO_H_
