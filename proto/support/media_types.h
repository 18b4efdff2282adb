// File extensions and MIME types of the media the containers accept
// (spec §8), one table for the server (which checks and builds data: URIs)
// and the CLI (which labels files it sends and names files it writes).
#ifndef TAO_PROTO_SUPPORT_MEDIA_TYPES_H_
#define TAO_PROTO_SUPPORT_MEDIA_TYPES_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tao::inference {

// Lower-case extension with its dot (".png") of the last path segment of a
// file name or path ('/' or '\\' separated); "" when there is none.
std::string FileExtension(absl::string_view path);

// MIME type for an extension (".jpg" or "jpg", any case); "" when unknown.
// Where the containers' accepted types (spec §8) differ from IANA's, the
// container's spelling wins: ".avi" -> "video/avi", ".mov" -> "video/mov".
std::string MimeTypeFromExtension(absl::string_view extension);

// The first extension (with dot) the table gives `mime_type` (any case);
// "" when unknown.
std::string ExtensionFromMimeType(absl::string_view mime_type);

}  // namespace tao::inference

#endif  // TAO_PROTO_SUPPORT_MEDIA_TYPES_H_
