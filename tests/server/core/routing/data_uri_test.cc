// data: URIs and the file-name helpers behind media MIME types.
#include "server/core/routing/data_uri.h"

#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::routing {
namespace {

using ::testing::HasSubstr;

TEST(DataUriTest, BuildsBase64Uri) {
  EXPECT_EQ(BuildDataUri("image/png", "hello"),
            "data:image/png;base64,aGVsbG8=");
  EXPECT_EQ(BuildDataUri("video/mp4", ""), "data:video/mp4;base64,");
}

TEST(DataUriTest, RoundTripsEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  bytes += bytes;  // lengths not divisible by 3 are covered below
  for (size_t length : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{257},
                        bytes.size()}) {
    const std::string slice = bytes.substr(0, length);
    absl::StatusOr<DataUri> parsed =
        ParseDataUri(BuildDataUri("video/mp4", slice));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->mime_type, "video/mp4");
    EXPECT_EQ(parsed->bytes, slice) << "length " << length;
  }
}

TEST(DataUriTest, ParseLowercasesTypeAndSkipsParameters) {
  absl::StatusOr<DataUri> parsed =
      ParseDataUri("DATA:Image/PNG;name=x.png;BASE64,aGk=");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->mime_type, "image/png");
  EXPECT_EQ(parsed->bytes, "hi");
}

struct BadUriCase {
  std::string name;
  std::string uri;
  std::string error_has;
  friend void PrintTo(const BadUriCase& c, std::ostream* os) { *os << c.name; }
};

class BadDataUriTest : public ::testing::TestWithParam<BadUriCase> {};

TEST_P(BadDataUriTest, IsRefusedClearly) {
  absl::StatusOr<DataUri> parsed = ParseDataUri(GetParam().uri);
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr(GetParam().error_has));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadDataUriTest,
    ::testing::Values(
        BadUriCase{"NotData", "https://h/x.png", "not a data: URI"},
        BadUriCase{"NoComma", "data:image/png;base64", "no comma"},
        BadUriCase{"NotBase64", "data:text/plain,hello",
                   "only data:<mime>;base64,<data> is supported"},
        BadUriCase{"NoMime", "data:;base64,aGk=", "names no MIME type"},
        BadUriCase{"BadPayload", "data:image/png;base64,@@@@",
                   "not valid base64"}),
    [](const auto& info) { return info.param.name; });

TEST(DataUriTest, LongHeaderIsNotEchoedWhole) {
  const std::string uri = "data:" + std::string(10000, 'x') + ",abc";
  absl::StatusOr<DataUri> parsed = ParseDataUri(uri);
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.status().message().size(), 300u);
}

TEST(DataUriTest, HeaderParseDoesNotCopyPayload) {
  const std::string uri = "data:video/mp4;base64,AAAA";
  absl::StatusOr<DataUriHeader> header = ParseDataUriHeader(uri);
  ASSERT_TRUE(header.ok());
  EXPECT_TRUE(header->is_base64);
  EXPECT_EQ(header->mime_type, "video/mp4");
  EXPECT_EQ(header->header, "video/mp4;base64");
  EXPECT_EQ(header->payload.data(), uri.data() + uri.size() - 4);
}

struct ExtensionCase {
  std::string input;
  std::string extension;
  friend void PrintTo(const ExtensionCase& c, std::ostream* os) {
    *os << c.input;
  }
};

class UrlPathExtensionTest : public ::testing::TestWithParam<ExtensionCase> {};

TEST_P(UrlPathExtensionTest, IgnoresHostQueryAndFragment) {
  EXPECT_EQ(UrlPathExtension(GetParam().input), GetParam().extension);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UrlPathExtensionTest,
    ::testing::Values(ExtensionCase{"https://h.example/a/b.MP4?x=1#t", ".mp4"},
                      ExtensionCase{"https://h.example/a/b.png", ".png"},
                      ExtensionCase{"https://h.example", ""},
                      ExtensionCase{"https://h.example/", ""},
                      ExtensionCase{"https://h.example/dir.d/file", ""},
                      ExtensionCase{"https://h.example/render?f=x.png", ""},
                      ExtensionCase{"https://h.example/v#frag.mp4", ""},
                      ExtensionCase{"https://h.example/a/.hidden", ""},
                      ExtensionCase{"https://h.example/a/trailing.", ""},
                      ExtensionCase{"/local/clip.MKV", ".mkv"}));

}  // namespace
}  // namespace tao::routing
