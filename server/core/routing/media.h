// Validation of one image or video of a request against an architecture's
// rules (spec §8.1, §8.2), and its JSON form.
#ifndef TAO_SERVER_CORE_ROUTING_MEDIA_H_
#define TAO_SERVER_CORE_ROUTING_MEDIA_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/core/catalog/catalog.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::routing {

enum class MediaKind { kImage, kVideo };

// A checked media item. Views point into the request: nothing is copied
// until the body is written.
struct CheckedMedia {
  absl::string_view url;    // the caller's http(s):// or data: URL, or
  absl::string_view bytes;  // the caller's bytes, sent as a data: URI of
  std::string mime_type;    // this type
};

// Accepts http:// and https:// URLs (when the URL path has an extension it
// must be one of the architecture's for `kind`; URLs without one are
// accepted because only the server they point at knows the type), base64
// data: URIs whose MIME type the architecture accepts for `kind`, and bytes
// with a MIME type (mime_type, or inferred from filename's extension). A
// filename with an extension must have one the architecture accepts. Cloud
// URIs, file:// URLs, bare paths and other schemes are refused: the
// containers cannot read them.
// `field` is the item's path, e.g. "messages[0].parts[1].image"; errors are
// INVALID_ARGUMENT naming it or one of its fields (".url", ".data",
// ".mime_type", ".filename") and saying what is accepted.
absl::StatusOr<CheckedMedia> CheckMedia(const tao::inference::v1::Media& media,
                                        MediaKind kind,
                                        const catalog::ArchRules& rules,
                                        absl::string_view field);

// Appends the item's URL as a JSON string; bytes become a data: URI.
void AppendMediaUrlJson(const CheckedMedia& media, std::string* out);

}  // namespace tao::routing

#endif  // TAO_SERVER_CORE_ROUTING_MEDIA_H_
