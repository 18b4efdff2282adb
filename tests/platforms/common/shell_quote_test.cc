// ShellQuote (Python's shlex.quote), SingleQuote and ShellJoin. Expected
// values were produced by CPython 3.11's shlex.quote.
#include "platforms/common/shell_quote.h"

#include <ostream>
#include <string>

#include "gtest/gtest.h"

namespace tao::platforms {
namespace {

struct QuoteCase {
  std::string input;
  std::string expected;
};

void PrintTo(const QuoteCase& c, std::ostream* os) { *os << c.input; }

class ShellQuoteTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(ShellQuoteTest, MatchesPythonShlexQuote) {
  EXPECT_EQ(ShellQuote(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ShellQuoteTest,
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
        QuoteCase{"nvcr.io#x", "'nvcr.io#x'"},
        QuoteCase{"{\"k\":\"v\"}", "'{\"k\":\"v\"}'"}));

class SingleQuoteTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(SingleQuoteTest, AlwaysQuotes) {
  EXPECT_EQ(SingleQuote(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SingleQuoteTest,
    ::testing::Values(QuoteCase{"", "''"},
                      QuoteCase{"/tmp/cosmos-predict2.5-output",
                                "'/tmp/cosmos-predict2.5-output'"},
                      QuoteCase{"base-2b", "'base-2b'"},
                      QuoteCase{"it's", "'it'\"'\"'s'"}));

TEST(ShellJoinTest, QuotesEachWord) {
  EXPECT_EQ(ShellJoin({"ls", "-l", "a b"}), "ls -l 'a b'");
  EXPECT_EQ(ShellJoin({}), "");
}

}  // namespace
}  // namespace tao::platforms
