// The embedded registry: one JSON file, written crash-safely (temp file,
// fsync, rename, fsync of the directory) under an advisory lock
// (flock on "<file>.lock") so that processes sharing the file never
// interleave their read-modify-write cycles.
#ifndef TAO_SERVER_CORE_REGISTRY_FILE_REGISTRY_H_
#define TAO_SERVER_CORE_REGISTRY_FILE_REGISTRY_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/core/registry/registry.h"

namespace tao::registry {

class FileRegistry : public Registry {
 public:
  struct Options {
    // The registry file. Created (as "{}") on the first write if missing.
    std::string path = "/tmp/tao-inf-ms-state.json";
  };

  // Checks that the file, if present, parses and that "<path>.lock" can be
  // opened. A missing, empty (0-byte) or whitespace-only file is an empty
  // registry; anything else that is not a valid registry document is
  // DATA_LOSS naming the file and the error (the file is left untouched;
  // Read and Mutate refuse it the same way). UNAVAILABLE when the file, its
  // directory or the lock file cannot be used, with what to do about it.
  // Rewrites keep an existing file's mode; a new file gets 0600.
  static absl::StatusOr<std::unique_ptr<FileRegistry>> Create(Options options);

  absl::StatusOr<RegistryState> Read() override;
  absl::Status Mutate(
      const std::function<absl::Status(RegistryState&)>& mutate) override;
  std::string Describe() const override { return options_.path; }

 private:
  explicit FileRegistry(Options options) : options_(std::move(options)) {}

  const Options options_;
  absl::Mutex mu_;  // serialises this process's threads; flock the others
};

}  // namespace tao::registry

#endif  // TAO_SERVER_CORE_REGISTRY_FILE_REGISTRY_H_
