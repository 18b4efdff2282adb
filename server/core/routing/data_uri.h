// data: URIs (RFC 2397) as the containers use them for media, in both
// directions (spec §8, §9), and the extension of a URL's path
// (proto/support/media_types.h maps extensions to MIME types).
#ifndef TAO_SERVER_CORE_ROUTING_DATA_URI_H_
#define TAO_SERVER_CORE_ROUTING_DATA_URI_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tao::routing {

// "data:<mime>;base64,<base64 of bytes>".
std::string BuildDataUri(absl::string_view mime_type, absl::string_view bytes);

// The parts of a data: URI before decoding. Views point into the URI.
struct DataUriHeader {
  std::string mime_type;      // lower case; empty when the URI names none
  bool is_base64 = false;     // the header ends with ";base64"
  absl::string_view header;   // between "data:" and the first comma
  absl::string_view payload;  // everything after the first comma
};

// Splits a data: URI without decoding or copying its payload, so that large
// media can be checked cheaply. Media parameters between the type and
// ";base64" (";charset=...") are skipped. Errors: INVALID_ARGUMENT when
// `uri` does not start with "data:" (case-insensitive) or has no comma.
absl::StatusOr<DataUriHeader> ParseDataUriHeader(absl::string_view uri);

struct DataUri {
  std::string mime_type;  // lower case
  std::string bytes;      // decoded
};

// Parses and decodes a base64 data: URI. Errors: INVALID_ARGUMENT saying
// what is wrong: not a data: URI, no comma, not base64-encoded (only
// ";base64" URIs are supported), no MIME type, or invalid base64.
absl::StatusOr<DataUri> ParseDataUri(absl::string_view uri);

// The extension of a URL's path, ignoring scheme, host, query and fragment:
// "https://h.example/a/b.MP4?x=1#t" -> ".mp4"; "https://h.example" -> "".
std::string UrlPathExtension(absl::string_view url);

}  // namespace tao::routing

#endif  // TAO_SERVER_CORE_ROUTING_DATA_URI_H_
