// Image references ("nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl") split
// the way the engine's pull call wants them, and registry credentials.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_IMAGE_REFERENCE_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_IMAGE_REFERENCE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tao::platforms::local_docker {

struct ImageReference {
  // Registry host ("nvcr.io", "localhost:5000"); "docker.io" when the name
  // has no registry part.
  std::string registry;
  // Everything before the tag or digest: the pull's fromImage.
  std::string repository;
  // The tag ("latest" when none is given) or the digest ("sha256:..."): the
  // pull's tag. Never empty, because an empty tag pulls every tag.
  std::string tag;
};

ImageReference ParseImageReference(absl::string_view image);

// The X-Registry-Auth header value: URL-safe base64 (padded) of
// {"username":..,"password":..,"serveraddress":..}. Holds the password:
// never log it.
std::string RegistryAuthHeader(absl::string_view username,
                               absl::string_view password,
                               absl::string_view server);

// NGC logins use this user name with an API key as the password.
inline constexpr char kNgcUser[] = "$oauthtoken";
inline constexpr char kNgcRegistry[] = "nvcr.io";

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_IMAGE_REFERENCE_H_
