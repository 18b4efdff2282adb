#include "tests/fakes/reference_backend_media.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/fakes/reference_backend_base64.h"

namespace tao::fakes {
namespace {

// MIME type -> the extension the container gives the decoded temp file.
const std::map<std::string, std::string>& BaseMimeTypes() {
  static const auto* types = new std::map<std::string, std::string>{
      {"video/mp4", ".mp4"},        {"video/avi", ".avi"},
      {"video/webm", ".webm"},      {"video/mkv", ".mkv"},
      {"video/x-matroska", ".mkv"}, {"video/mov", ".mov"},
      {"image/jpeg", ".jpg"},       {"image/png", ".png"},
      {"image/webp", ".webp"},      {"image/gif", ".gif"},
      {"image/bmp", ".bmp"},        {"image/tiff", ".tiff"}};
  return *types;
}

const std::map<std::string, std::string>& PredictMimeTypes() {
  static const auto* types =
      new std::map<std::string, std::string>{{"image/jpeg", ".jpg"},
                                             {"image/jpg", ".jpg"},
                                             {"image/png", ".png"},
                                             {"image/webp", ".webp"},
                                             {"video/mp4", ".mp4"}};
  return *types;
}

const std::set<std::string>& Extensions(Arch arch) {
  static const auto* cosmos_rl =
      new std::set<std::string>{".jpg", ".jpeg", ".png",  ".bmp", ".tiff",
                                ".mp4", ".mkv",  ".webm", ".avi", ".mov"};
  static const auto* predict =
      new std::set<std::string>{".png", ".jpg", ".jpeg", ".webp", ".mp4"};
  return arch == Arch::kCosmosRl ? *cosmos_rl : *predict;
}

absl::Status CheckExtension(Arch arch, const std::string& extension) {
  if (Extensions(arch).count(absl::AsciiStrToLower(extension)) > 0) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "One or more input files have unsupported extensions");
}

absl::Status CheckDataUri(Arch arch, absl::string_view uri) {
  absl::string_view rest = uri.substr(5);  // after "data:"
  const size_t marker = rest.find(";base64,");
  if (marker == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "Invalid data URI: expected data:<mime>;base64,<data>");
  }
  const std::string mime = absl::AsciiStrToLower(rest.substr(0, marker));
  const auto& types =
      arch == Arch::kCosmosRl ? BaseMimeTypes() : PredictMimeTypes();
  auto type = types.find(mime);
  if (type == types.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Unsupported media type: ", mime));
  }
  const size_t bytes = Base64DecodedSize(rest.substr(marker + 8));
  if (bytes > kMaxMediaBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("Media file too large: ", bytes, " bytes (limit ",
                     kMaxMediaBytes, " bytes)"));
  }
  return CheckExtension(arch, type->second);
}

// The extension of a URL's or path's last segment, query and fragment cut.
std::string ExtensionOf(absl::string_view location) {
  location = location.substr(0, location.find_first_of("?#"));
  const size_t slash = location.rfind('/');
  if (slash != absl::string_view::npos) location = location.substr(slash + 1);
  const size_t dot = location.rfind('.');
  return dot == absl::string_view::npos ? ""
                                        : std::string(location.substr(dot));
}

}  // namespace

absl::Status CheckMediaUrl(Arch arch, absl::string_view url) {
  for (const char* scheme : {"s3://", "gs://", "az://", "cs://", "aws://"}) {
    if (absl::StartsWithIgnoreCase(url, scheme)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Cloud storage URIs are not supported (", scheme,
                       "); pass media as data: URIs or http(s):// URLs"));
    }
  }
  if (absl::StartsWithIgnoreCase(url, "data:")) return CheckDataUri(arch, url);
  return CheckExtension(arch, ExtensionOf(url));
}

}  // namespace tao::fakes
