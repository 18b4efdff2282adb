#include "client/cli/media_input.h"

#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "proto/support/media_types.h"

namespace tao::cli {
namespace {

std::string BaseName(absl::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == absl::string_view::npos ? path
                                                      : path.substr(slash + 1));
}

bool IsUrl(absl::string_view argument) {
  return absl::StartsWithIgnoreCase(argument, "http://") ||
         absl::StartsWithIgnoreCase(argument, "https://") ||
         absl::StartsWithIgnoreCase(argument, "data:");
}

}  // namespace

std::string MimeTypeForFileName(absl::string_view file_name) {
  return inference::MimeTypeFromExtension(inference::FileExtension(file_name));
}

std::string ExtensionForMimeType(absl::string_view mime_type) {
  const std::string extension = inference::ExtensionFromMimeType(mime_type);
  return extension.empty() ? ".bin" : extension;
}

absl::StatusOr<tao::inference::v1::Media> MediaFromArgument(
    absl::string_view flag, const std::string& argument) {
  tao::inference::v1::Media media;
  if (IsUrl(argument)) {
    media.set_url(argument);
    return media;
  }
  struct stat info;
  if (stat(argument.c_str(), &info) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " '", argument,
                     "': no such file, and not an http(s):// or data: URL"));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " '", argument, "' is not a regular file"));
  }
  std::ifstream file(argument, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  if (!file.good() && !file.eof()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " '", argument, "' could not be read"));
  }
  media.set_data(std::move(bytes));
  media.set_filename(BaseName(argument));
  media.set_mime_type(MimeTypeForFileName(argument));
  return media;
}

}  // namespace tao::cli
