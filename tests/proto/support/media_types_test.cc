// The media table shared by the server and the CLI.
#include "proto/support/media_types.h"

#include <ostream>
#include <string>

#include "gtest/gtest.h"

namespace tao::inference {
namespace {

TEST(FileExtensionTest, LowerCaseWithDot) {
  EXPECT_EQ(FileExtension("Photo.JPG"), ".jpg");
  EXPECT_EQ(FileExtension("C:\\dir.x\\clip.webm"), ".webm");
  EXPECT_EQ(FileExtension("archive.tar.gz"), ".gz");
  EXPECT_EQ(FileExtension("README"), "");
  EXPECT_EQ(FileExtension(""), "");
}

struct MimeCase {
  std::string extension;
  std::string mime;
  friend void PrintTo(const MimeCase& c, std::ostream* os) {
    *os << c.extension;
  }
};

class MimeTypeFromExtensionTest : public ::testing::TestWithParam<MimeCase> {};

TEST_P(MimeTypeFromExtensionTest, MapsKnownExtensions) {
  EXPECT_EQ(MimeTypeFromExtension(GetParam().extension), GetParam().mime);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MimeTypeFromExtensionTest,
    ::testing::Values(
        MimeCase{".jpg", "image/jpeg"}, MimeCase{"JPEG", "image/jpeg"},
        MimeCase{".png", "image/png"}, MimeCase{".webp", "image/webp"},
        MimeCase{".gif", "image/gif"}, MimeCase{".bmp", "image/bmp"},
        MimeCase{".tiff", "image/tiff"}, MimeCase{".TIF", "image/tiff"},
        MimeCase{".mp4", "video/mp4"}, MimeCase{".mkv", "video/x-matroska"},
        MimeCase{".webm", "video/webm"}, MimeCase{".avi", "video/avi"},
        MimeCase{".mov", "video/mov"}, MimeCase{".txt", ""}, MimeCase{"", ""}));

TEST(ExtensionFromMimeTypeTest, FirstExtensionOfTheType) {
  EXPECT_EQ(ExtensionFromMimeType("video/mp4"), ".mp4");
  EXPECT_EQ(ExtensionFromMimeType("IMAGE/JPEG"), ".jpg");
  EXPECT_EQ(ExtensionFromMimeType("video/mov"), ".mov");
  EXPECT_EQ(ExtensionFromMimeType("application/pdf"), "");
}

}  // namespace
}  // namespace tao::inference
