// Turns the engine's image-pull stream (one JSON object per line) into a
// few readable progress messages, and catches the error it may end with
// (a pull answers HTTP 200 and reports failure inside the stream).
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_PULL_PROGRESS_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_PULL_PROGRESS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"

namespace tao::platforms::local_docker {

class PullProgress {
 public:
  explicit PullProgress(std::string image) : image_(std::move(image)) {}

  // Reads one line of the stream; returns a message to show, if this line
  // is worth one: general status lines ("Pulling from ...", "Digest: ...",
  // "Status: Downloaded newer image ..."), download progress in 10% steps
  // over all layers seen so far, and each finished layer.
  std::optional<std::string> Consume(absl::string_view line);

  // The error the stream reported ("" when none).
  const std::string& error() const { return error_; }

  // Bytes downloaded so far and in all, over the layers whose download has
  // been announced so far (the total grows as layers appear).
  int64_t bytes_done() const;
  int64_t bytes_total() const;

 private:
  struct Layer {
    int64_t current = 0;
    int64_t total = 0;
  };

  const std::string image_;
  std::map<std::string, Layer> downloads_;
  std::set<std::string> layers_;
  std::set<std::string> done_;
  int last_decile_ = -1;
  std::string error_;
};

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_PULL_PROGRESS_H_
