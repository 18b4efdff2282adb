#include "server/core/routing/media.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "proto/support/media_types.h"
#include "server/core/common/errors.h"
#include "server/core/routing/data_uri.h"
#include "server/core/routing/json_text.h"

namespace tao::routing {
namespace {

namespace v1 = ::tao::inference::v1;

constexpr absl::string_view kAcceptedSources =
    "accepted: http:// or https:// URLs, data:<mime>;base64,<data> URIs, or "
    "the file's bytes in data (the server sends them as a data: URI)";

// Schemes of cloud storage the containers have no credentials for.
constexpr absl::string_view kCloudSchemes[] = {"s3", "gs", "az", "cs", "aws"};

// URLs are quoted in errors only up to this length (data: URIs can be
// hundreds of MiB).
constexpr size_t kMaxQuoted = 80;

std::string Quote(absl::string_view text) {
  if (text.size() <= kMaxQuoted) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kMaxQuoted), "...\" (", text.size(),
                      " characters)");
}

absl::string_view KindName(MediaKind kind) {
  return kind == MediaKind::kImage ? "image" : "video";
}

const std::vector<std::string>& Extensions(const catalog::ArchRules& rules,
                                           MediaKind kind) {
  return kind == MediaKind::kImage ? rules.image_extensions
                                   : rules.video_extensions;
}

const std::vector<std::string>& MimeTypes(const catalog::ArchRules& rules,
                                          MediaKind kind) {
  return kind == MediaKind::kImage ? rules.image_mime_types
                                   : rules.video_mime_types;
}

bool Contains(const std::vector<std::string>& list, absl::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string Listed(const std::vector<std::string>& list) {
  return list.empty() ? "none" : absl::StrJoin(list, ", ");
}

// "image/png": RFC 6838 restricted-name characters on both sides.
bool LooksLikeMimeType(absl::string_view mime) {
  size_t slash = mime.find('/');
  if (slash == absl::string_view::npos || slash == 0 ||
      slash + 1 == mime.size()) {
    return false;
  }
  for (size_t i = 0; i < mime.size(); ++i) {
    const char c = mime[i];
    if (i == slash) continue;
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        !absl::StrContains("!#$&^_.+-", c)) {
      return false;
    }
  }
  return true;
}

// An architecture without a MIME list accepts any well-formed type of the
// right kind ("image/..."); the container has the last word.
bool MimeAccepted(absl::string_view mime, MediaKind kind,
                  const catalog::ArchRules& rules) {
  if (!LooksLikeMimeType(mime)) return false;
  const std::vector<std::string>& accepted = MimeTypes(rules, kind);
  if (accepted.empty()) {
    return absl::StartsWith(mime, absl::StrCat(KindName(kind), "/"));
  }
  return Contains(accepted, mime);
}

std::string AcceptedMimeTypes(MediaKind kind, const catalog::ArchRules& rules) {
  const std::vector<std::string>& accepted = MimeTypes(rules, kind);
  if (accepted.empty()) return absl::StrCat(KindName(kind), "/*");
  return absl::StrJoin(accepted, ", ");
}

// Refuses an extension the architecture does not accept for `kind`, with a
// hint when it belongs to the other kind.
absl::Status CheckExtension(absl::string_view extension, MediaKind kind,
                            const catalog::ArchRules& rules,
                            absl::string_view field, absl::string_view what) {
  if (Contains(Extensions(rules, kind), extension)) return absl::OkStatus();
  std::string description =
      absl::StrCat(what, " has extension \"", extension, "\", which ",
                   rules.network_arch, " does not accept for ", KindName(kind),
                   "s; accepted: ", Listed(Extensions(rules, kind)));
  const MediaKind other =
      kind == MediaKind::kImage ? MediaKind::kVideo : MediaKind::kImage;
  if (Contains(Extensions(rules, other), extension)) {
    absl::StrAppend(&description, " (it is a ", KindName(other),
                    " extension: send it as a ", KindName(other), " part)");
  }
  return core::InvalidField(field, description);
}

// The URL's scheme in lower case, or "" when `url` does not start with one
// (a bare path; one letter is a Windows drive, not a scheme).
std::string Scheme(absl::string_view url) {
  size_t colon = url.find(':');
  if (colon == absl::string_view::npos || colon < 2) return "";
  absl::string_view scheme = url.substr(0, colon);
  if (!absl::ascii_isalpha(static_cast<unsigned char>(scheme[0]))) return "";
  for (char c : scheme) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        !absl::StrContains("+-.", c)) {
      return "";
    }
  }
  return absl::AsciiStrToLower(scheme);
}

absl::Status CheckDataUrl(absl::string_view url, MediaKind kind,
                          const catalog::ArchRules& rules,
                          absl::string_view field) {
  absl::StatusOr<DataUriHeader> header = ParseDataUriHeader(url);
  if (!header.ok()) {
    return core::InvalidField(field, header.status().message());
  }
  if (!header->is_base64) {
    return core::InvalidField(
        field, "data: URIs must be base64-encoded: data:<mime>;base64,<data>");
  }
  if (header->payload.empty()) {
    return core::InvalidField(field, "data: URI has no data after the comma");
  }
  if (!MimeAccepted(header->mime_type, kind, rules)) {
    return core::InvalidField(
        field, absl::StrCat("data: URI type ", Quote(header->mime_type),
                            " is not accepted by ", rules.network_arch, " for ",
                            KindName(kind),
                            "s; accepted: ", AcceptedMimeTypes(kind, rules)));
  }
  return absl::OkStatus();
}

absl::Status CheckHttpUrl(absl::string_view url, absl::string_view scheme,
                          MediaKind kind, const catalog::ArchRules& rules,
                          absl::string_view field) {
  absl::string_view rest = url.substr(scheme.size() + 1);
  if (!absl::StartsWith(rest, "//") || rest.size() == 2 ||
      absl::StrContains("/?#", rest[2])) {
    return core::InvalidField(
        field, absl::StrCat(Quote(url), " has no host; expected ", scheme,
                            "://<host>/<path>"));
  }
  const std::string extension = UrlPathExtension(url);
  if (extension.empty()) return absl::OkStatus();
  return CheckExtension(extension, kind, rules, field, "the URL path");
}

absl::Status CheckUrl(absl::string_view url, MediaKind kind,
                      const catalog::ArchRules& rules,
                      absl::string_view field) {
  if (url.empty()) {
    return core::InvalidField(field,
                              absl::StrCat("is empty; ", kAcceptedSources));
  }
  const std::string scheme = Scheme(url);
  if (scheme == "data") return CheckDataUrl(url, kind, rules, field);
  if (scheme == "http" || scheme == "https") {
    return CheckHttpUrl(url, scheme, kind, rules, field);
  }
  std::string why;
  if (std::find(std::begin(kCloudSchemes), std::end(kCloudSchemes), scheme) !=
      std::end(kCloudSchemes)) {
    why = absl::StrCat("cloud storage URIs (", scheme,
                       "://) are not supported: the service has no cloud "
                       "credentials; use an http(s) URL (e.g. a presigned "
                       "one) or send the bytes");
  } else if (scheme == "file") {
    why =
        "file:// URLs are not supported: the service cannot read the "
        "caller's files; send the bytes";
  } else if (scheme.empty()) {
    why = absl::StrCat(Quote(url),
                       " is not a URL (a local path?); send the file's bytes");
  } else {
    why = absl::StrCat("URL scheme \"", scheme, "\" is not supported");
  }
  return core::InvalidField(field, absl::StrCat(why, "; ", kAcceptedSources));
}

// The MIME type of bytes: mime_type, else inferred from the filename.
absl::StatusOr<std::string> BytesMimeType(const v1::Media& media,
                                          MediaKind kind,
                                          const catalog::ArchRules& rules,
                                          absl::string_view field) {
  const std::string mime_field = absl::StrCat(field, ".mime_type");
  if (!media.mime_type().empty()) {
    std::string mime =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(media.mime_type()));
    if (MimeAccepted(mime, kind, rules)) return mime;
    return core::InvalidField(
        mime_field,
        absl::StrCat(Quote(media.mime_type()), " is not accepted by ",
                     rules.network_arch, " for ", KindName(kind),
                     "s; accepted: ", AcceptedMimeTypes(kind, rules)));
  }
  const std::string inferred = inference::MimeTypeFromExtension(
      inference::FileExtension(media.filename()));
  if (inferred.empty() || !MimeAccepted(inferred, kind, rules)) {
    return core::InvalidField(
        mime_field,
        absl::StrCat("is required with data unless filename has an extension "
                     "that names an accepted type; set mime_type to one of: ",
                     AcceptedMimeTypes(kind, rules)));
  }
  return inferred;
}

}  // namespace

absl::StatusOr<CheckedMedia> CheckMedia(const v1::Media& media, MediaKind kind,
                                        const catalog::ArchRules& rules,
                                        absl::string_view field) {
  if (!media.filename().empty()) {
    const std::string extension = inference::FileExtension(media.filename());
    if (!extension.empty()) {
      if (absl::Status status =
              CheckExtension(extension, kind, rules,
                             absl::StrCat(field, ".filename"), "the file");
          !status.ok()) {
        return status;
      }
    }
  }
  CheckedMedia checked;
  switch (media.source_case()) {
    case v1::Media::kUrl: {
      const std::string url_field = absl::StrCat(field, ".url");
      if (absl::Status status = CheckUrl(media.url(), kind, rules, url_field);
          !status.ok()) {
        return status;
      }
      checked.url = media.url();
      return checked;
    }
    case v1::Media::kData: {
      if (media.data().empty()) {
        return core::InvalidField(absl::StrCat(field, ".data"),
                                  "is empty; send the file's bytes");
      }
      absl::StatusOr<std::string> mime =
          BytesMimeType(media, kind, rules, field);
      if (!mime.ok()) return mime.status();
      checked.bytes = media.data();
      checked.mime_type = *std::move(mime);
      return checked;
    }
    default:
      return core::InvalidField(
          field, absl::StrCat("has neither url nor data; ", kAcceptedSources));
  }
}

void AppendMediaUrlJson(const CheckedMedia& media, std::string* out) {
  if (media.bytes.empty()) {
    AppendJsonString(media.url, out);
    return;
  }
  // Neither the checked MIME type nor base64 needs JSON escaping.
  std::string encoded;
  absl::Base64Escape(media.bytes, &encoded);
  absl::StrAppend(out, "\"data:", media.mime_type, ";base64,");
  out->append(encoded);
  out->push_back('"');
}

}  // namespace tao::routing
