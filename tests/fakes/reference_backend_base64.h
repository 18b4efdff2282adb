// Base64 (RFC 4648, with padding) for the reference test backend's data:
// URIs.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_BASE64_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_BASE64_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tao::fakes {

std::string Base64Encode(absl::string_view bytes);

// Decoded length of a base64 text, from its length and padding alone.
size_t Base64DecodedSize(absl::string_view text);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_BASE64_H_
