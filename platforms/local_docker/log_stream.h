// Container output as the engine sends it, turned into plain text.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_LOG_STREAM_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_LOG_STREAM_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tao::platforms::local_docker {

// The engine multiplexes stdout and stderr of a container without a TTY
// into frames: an 8-byte header (stream 0/1/2, three zero bytes, payload
// size as big-endian uint32) and the payload. Returns the payloads joined in
// order. Text that does not start with a frame header (a TTY container's raw
// stream) is returned unchanged; a truncated last frame keeps what arrived.
std::string Demultiplex(absl::string_view raw);

// The last `count` lines of `text` (count <= 0: none), without a trailing
// newline.
std::string LastLines(absl::string_view text, int count);

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_LOG_STREAM_H_
