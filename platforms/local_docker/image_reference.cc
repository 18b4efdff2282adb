#include "platforms/local_docker/image_reference.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "nlohmann/json.hpp"

namespace tao::platforms::local_docker {

ImageReference ParseImageReference(absl::string_view image) {
  ImageReference ref;
  absl::string_view name = image;
  if (const size_t at = image.find('@'); at != absl::string_view::npos) {
    name = image.substr(0, at);
    ref.tag = std::string(image.substr(at + 1));
  } else if (const size_t colon = image.rfind(':');
             colon != absl::string_view::npos &&
             image.find('/', colon) == absl::string_view::npos) {
    // A ':' after the last '/' starts the tag; before it, a registry port.
    name = image.substr(0, colon);
    ref.tag = std::string(image.substr(colon + 1));
  }
  if (ref.tag.empty()) ref.tag = "latest";
  ref.repository = std::string(name);

  // The first component is a registry when it looks like a host name.
  const size_t slash = name.find('/');
  const absl::string_view first =
      slash == absl::string_view::npos ? "" : name.substr(0, slash);
  if (!first.empty() &&
      (absl::StrContains(first, '.') || absl::StrContains(first, ':') ||
       first == "localhost")) {
    ref.registry = std::string(first);
  } else {
    ref.registry = "docker.io";
  }
  return ref;
}

std::string RegistryAuthHeader(absl::string_view username,
                               absl::string_view password,
                               absl::string_view server) {
  nlohmann::json auth = {{"username", std::string(username)},
                         {"password", std::string(password)},
                         {"serveraddress", std::string(server)}};
  std::string encoded;
  absl::WebSafeBase64Escape(auth.dump(), &encoded);
  // Older engines decode with padding (Go's base64.URLEncoding).
  while (encoded.size() % 4 != 0) encoded.push_back('=');
  return encoded;
}

}  // namespace tao::platforms::local_docker
