// The media checks of the inference containers (spec §8): cloud URIs, MIME
// types of data: URIs, their size, and file extensions per architecture.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_MEDIA_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_MEDIA_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tests/fakes/reference_backend_args.h"

namespace tao::fakes {

// Largest decoded media file the containers accept.
inline constexpr size_t kMaxMediaBytes = size_t{512} << 20;

// OK, or INVALID_ARGUMENT with the container's message (the 400
// invalid_request text).
absl::Status CheckMediaUrl(Arch arch, absl::string_view url);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_MEDIA_H_
