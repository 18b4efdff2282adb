// ShellQuote (Python's shlex.quote), SingleQuote and the Python-compatible
// JSON text. Expected values were produced by CPython 3.11's shlex.quote
// and json.dumps(..., separators=(",", ":")).
#include <ostream>
#include <string>

#include "gtest/gtest.h"
#include "server/core/catalog/catalog.h"
#include "server/core/catalog/catalog_data.h"
#include "server/core/catalog/python_json.h"

namespace tao::catalog {
namespace {

struct QuoteCase {
  std::string input;
  std::string expected;
};

void PrintTo(const QuoteCase& c, std::ostream* os) { *os << c.input; }

class CatalogShellQuoteTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(CatalogShellQuoteTest, MatchesPythonShlexQuote) {
  EXPECT_EQ(ShellQuote(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogShellQuoteTest,
    ::testing::Values(
        QuoteCase{"", "''"}, QuoteCase{"abc", "abc"},
        QuoteCase{"A-Z_a.z/0:9,@%+=", "A-Z_a.z/0:9,@%+="}, QuoteCase{"-", "-"},
        QuoteCase{"hello world", "'hello world'"},
        QuoteCase{"it's", "'it'\"'\"'s'"},
        QuoteCase{"a'b'c", "'a'\"'\"'b'\"'\"'c'"},
        QuoteCase{"caf\xc3\xa9", "'caf\xc3\xa9'"},
        QuoteCase{"$HOME", "'$HOME'"}, QuoteCase{"`id`", "'`id`'"},
        QuoteCase{"\"q\"", "'\"q\"'"},
        QuoteCase{"back\\slash", "'back\\slash'"},
        QuoteCase{"line\nbreak", "'line\nbreak'"},
        QuoteCase{"tab\there", "'tab\there'"}, QuoteCase{"~user", "'~user'"},
        QuoteCase{"*", "'*'"}, QuoteCase{"a;b", "'a;b'"},
        QuoteCase{"{\"k\":\"v\"}", "'{\"k\":\"v\"}'"}));

class CatalogSingleQuoteTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(CatalogSingleQuoteTest, AlwaysQuotes) {
  EXPECT_EQ(SingleQuote(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogSingleQuoteTest,
    ::testing::Values(QuoteCase{"", "''"},
                      QuoteCase{"/tmp/cosmos-predict2.5-output",
                                "'/tmp/cosmos-predict2.5-output'"},
                      QuoteCase{"base-2b", "'base-2b'"},
                      QuoteCase{"it's", "'it'\"'\"'s'"}));

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
