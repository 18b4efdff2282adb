#include "proto/support/media_types.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace tao::inference {
namespace {

constexpr std::pair<absl::string_view, absl::string_view> kTypes[] = {
    {".jpg", "image/jpeg"},  {".jpeg", "image/jpeg"},
    {".png", "image/png"},   {".webp", "image/webp"},
    {".gif", "image/gif"},   {".bmp", "image/bmp"},
    {".tif", "image/tiff"},  {".tiff", "image/tiff"},
    {".mp4", "video/mp4"},   {".mkv", "video/x-matroska"},
    {".webm", "video/webm"}, {".avi", "video/avi"},
    {".mov", "video/mov"},
};

}  // namespace

std::string FileExtension(absl::string_view path) {
  size_t slash = path.find_last_of("/\\");
  absl::string_view name =
      slash == absl::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  // A leading dot (".bashrc") names a hidden file, not an extension.
  if (dot == absl::string_view::npos || dot == 0 || dot + 1 == name.size()) {
    return "";
  }
  return absl::AsciiStrToLower(name.substr(dot));
}

std::string MimeTypeFromExtension(absl::string_view extension) {
  std::string ext = absl::AsciiStrToLower(extension);
  if (!absl::StartsWith(ext, ".")) ext.insert(0, ".");
  for (const auto& [known, mime] : kTypes) {
    if (ext == known) return std::string(mime);
  }
  return "";
}

std::string ExtensionFromMimeType(absl::string_view mime_type) {
  const std::string lower = absl::AsciiStrToLower(mime_type);
  for (const auto& [extension, mime] : kTypes) {
    if (lower == mime) return std::string(extension);
  }
  return "";
}

}  // namespace tao::inference
