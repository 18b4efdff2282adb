#include "server/core/routing/data_uri.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "proto/support/media_types.h"

namespace tao::routing {
namespace {

constexpr absl::string_view kScheme = "data:";

// Headers longer than this are not a MIME type plus parameters; quoting them
// in an error would only echo (possibly huge) garbage back.
constexpr size_t kMaxQuotedHeader = 64;

std::string QuoteHeader(absl::string_view header) {
  if (header.size() <= kMaxQuotedHeader)
    return absl::StrCat("\"", header, "\"");
  return absl::StrCat("\"", header.substr(0, kMaxQuotedHeader), "...\"");
}

}  // namespace

std::string BuildDataUri(absl::string_view mime_type, absl::string_view bytes) {
  std::string encoded;
  absl::Base64Escape(bytes, &encoded);
  std::string uri;
  uri.reserve(kScheme.size() + mime_type.size() + 8 + encoded.size());
  absl::StrAppend(&uri, kScheme, mime_type, ";base64,", encoded);
  return uri;
}

absl::StatusOr<DataUriHeader> ParseDataUriHeader(absl::string_view uri) {
  if (!absl::StartsWithIgnoreCase(uri, kScheme)) {
    return absl::InvalidArgumentError("not a data: URI");
  }
  absl::string_view rest = uri.substr(kScheme.size());
  size_t comma = rest.find(',');
  if (comma == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "data: URI has no comma before its payload; expected "
        "data:<mime>;base64,<data>");
  }
  absl::string_view header = rest.substr(0, comma);
  DataUriHeader parsed;
  parsed.header = header;
  parsed.payload = rest.substr(comma + 1);
  std::vector<absl::string_view> params = absl::StrSplit(header, ';');
  parsed.mime_type =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(params[0]));
  if (params.size() > 1 &&
      absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(params.back()),
                             "base64")) {
    parsed.is_base64 = true;
  }
  return parsed;
}

absl::StatusOr<DataUri> ParseDataUri(absl::string_view uri) {
  absl::StatusOr<DataUriHeader> header = ParseDataUriHeader(uri);
  if (!header.ok()) return header.status();
  absl::string_view header_text = header->header;
  if (!header->is_base64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "data: URI header ", QuoteHeader(header_text),
        " is not base64-encoded; only data:<mime>;base64,<data> is supported"));
  }
  if (header->mime_type.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "data: URI header ", QuoteHeader(header_text),
        " names no MIME type; expected data:<mime>;base64,<data>"));
  }
  DataUri decoded;
  if (!absl::Base64Unescape(header->payload, &decoded.bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("data: URI payload (", header->payload.size(),
                     " characters) is not valid base64"));
  }
  decoded.mime_type = std::move(header->mime_type);
  return decoded;
}

std::string UrlPathExtension(absl::string_view url) {
  size_t end = url.find_first_of("?#");
  if (end != absl::string_view::npos) url = url.substr(0, end);
  size_t scheme_end = url.find("://");
  if (scheme_end != absl::string_view::npos) {
    // Skip the authority: the path starts at the next slash, if any.
    absl::string_view after = url.substr(scheme_end + 3);
    size_t path_start = after.find('/');
    if (path_start == absl::string_view::npos) return "";
    url = after.substr(path_start);
  }
  return inference::FileExtension(url);
}

}  // namespace tao::routing
