// Turns an --image / --video argument into a Media: a local file is read
// into bytes (the server builds the data: URI), a URL is passed on.
#ifndef TAO_CLIENT_CLI_MEDIA_INPUT_H_
#define TAO_CLIENT_CLI_MEDIA_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

// MIME type for a file name's extension (case-insensitive), e.g.
// "image/png" for "a.PNG"; "" when unknown (the server then names the
// accepted extensions).
std::string MimeTypeForFileName(absl::string_view file_name);

// File extension (with dot) for a MIME type, ".bin" when unknown. Used to
// name the file a media answer is written to.
std::string ExtensionForMimeType(absl::string_view mime_type);

// `argument` is an http(s):// or data: URL -> Media.url; an existing
// regular file -> Media.data with mime_type and filename. `flag` names the
// argument in errors. Errors: INVALID_ARGUMENT when it is neither (or the
// file cannot be read).
absl::StatusOr<tao::inference::v1::Media> MediaFromArgument(
    absl::string_view flag, const std::string& argument);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_MEDIA_INPUT_H_
