// The Python-compatible JSON text. Expected values were produced by
// CPython 3.11's json.dumps(..., separators=(",", ":")).
#include "server/core/catalog/python_json.h"

#include <ostream>
#include <string>

#include "gtest/gtest.h"

namespace tao::catalog {
namespace {

struct QuoteCase {
  std::string input;
  std::string expected;
};

void PrintTo(const QuoteCase& c, std::ostream* os) { *os << c.input; }

class CatalogPythonJsonTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(CatalogPythonJsonTest, MatchesJsonDumpsEnsureAscii) {
  std::string out;
  ASSERT_TRUE(AppendPythonJsonString(GetParam().input, &out).ok());
  EXPECT_EQ(out, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogPythonJsonTest,
    ::testing::Values(
        QuoteCase{"", "\"\""},
        QuoteCase{"hf_model://nvidia/Cosmos-Reason1-7B",
                  "\"hf_model://nvidia/Cosmos-Reason1-7B\""},
        QuoteCase{"a\"b\\c", "\"a\\\"b\\\\c\""},
        QuoteCase{"\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""},
        QuoteCase{std::string("\x00\x1f\x7f", 3), "\"\\u0000\\u001f\\u007f\""},
        QuoteCase{"caf\xc3\xa9", "\"caf\\u00e9\""},
        QuoteCase{"\xe6\x97\xa5\xe6\x9c\xac", "\"\\u65e5\\u672c\""},
        QuoteCase{"\xe2\x80\xa8", "\"\\u2028\""},
        QuoteCase{"\xf0\x9f\x98\x80", "\"\\ud83d\\ude00\""},
        QuoteCase{"it's $x `y`", "\"it's $x `y`\""}));

TEST(CatalogPythonJsonErrorTest, RefusesInvalidUtf8) {
  for (const std::string& bad :
       {std::string("\xff"), std::string("\xc3"), std::string("\xc0\xaf"),
        std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    std::string out;
    EXPECT_EQ(AppendPythonJsonString(bad, &out).code(),
              absl::StatusCode::kInvalidArgument)
        << "input bytes " << bad.size();
  }
}

TEST(CatalogPythonJsonObjectTest, KeepsOrderAndIsCompact) {
  absl::StatusOr<std::string> json =
      PythonJsonObject({{"Z", "1"}, {"A", "two words"}, {"M", ""}});
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(*json, "{\"Z\":\"1\",\"A\":\"two words\",\"M\":\"\"}");
  EXPECT_EQ(*PythonJsonObject({}), "{}");
}

}  // namespace
}  // namespace tao::catalog
