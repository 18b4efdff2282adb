// The API token a deployment's endpoint is created with, so that it is
// never public (lepton-api.md §6: an empty api_tokens list means public).
#ifndef TAO_PLATFORMS_LEPTON_API_TOKEN_H_
#define TAO_PLATFORMS_LEPTON_API_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"

namespace tao::platforms::lepton {

// 32 bytes from the kernel's random source, as 64 lower-case hex digits.
// Errors: INTERNAL when the kernel gives none.
absl::StatusOr<std::string> NewApiToken();

}  // namespace tao::platforms::lepton

#endif  // TAO_PLATFORMS_LEPTON_API_TOKEN_H_
