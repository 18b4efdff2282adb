// Redactor hides every occurrence of every secret value of 4+ characters,
// including occurrences that overlap each other.
#include "platforms/common/redactor.h"

#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace tao::platforms {
namespace {

struct Case {
  std::string name;
  std::vector<std::string> secrets;
  std::string text;
  std::string want;
};

// Names the case instead of dumping its bytes in failure messages.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class RedactorTest : public ::testing::TestWithParam<Case> {};

TEST_P(RedactorTest, Redacts) {
  const Case& c = GetParam();
  Redactor redactor(c.secrets);
  EXPECT_EQ(redactor.Redact(c.text), c.want);
}

INSTANTIATE_TEST_SUITE_P(
    Table, RedactorTest,
    ::testing::Values(
        Case{"NoSecrets", {}, "nothing to hide", "nothing to hide"},
        Case{"EmptyText", {"hf_abcdef"}, "", ""},
        Case{"SecretNotPresent", {"hf_abcdef"}, "token is set", "token is set"},
        Case{"WholeText", {"hf_abcdef"}, "hf_abcdef", "[REDACTED]"},
        Case{"EveryOccurrence",
             {"hf_abcdef"},
             "a hf_abcdef b hf_abcdef c hf_abcdefhf_abcdef",
             "a [REDACTED] b [REDACTED] c [REDACTED][REDACTED]"},
        Case{"SeveralSecrets",
             {"hf_abcdef", "nvapi-XYZ123"},
             "HF_TOKEN=hf_abcdef NGC_API_KEY=nvapi-XYZ123",
             "HF_TOKEN=[REDACTED] NGC_API_KEY=[REDACTED]"},
        Case{"SecretContainingAnotherIsHiddenWhole",
             {"abcd", "xxabcdxx"},
             "k=xxabcdxx j=abcd",
             "k=[REDACTED] j=[REDACTED]"},
        Case{"SecretContainingAnotherAnyOrder",
             {"xxabcdxx", "abcd"},
             "k=xxabcdxx j=abcd",
             "k=[REDACTED] j=[REDACTED]"},
        // Two secrets sharing a middle part: no piece of either may remain.
        Case{"OverlappingSecrets",
             {"abcdef", "defghi"},
             "<abcdefghi>",
             "<[REDACTED]>"},
        Case{"OverlappingSecretsOtherOrder",
             {"defghi", "abcdef"},
             "<abcdefghi>",
             "<[REDACTED]>"},
        Case{
            "SelfOverlappingOccurrences", {"aaaa"}, "xaaaaaax", "x[REDACTED]x"},
        Case{"ChainOfOverlaps",
             {"1234", "3456", "5678"},
             "012345678 9",
             "0[REDACTED] 9"},
        Case{"ShortValuesIgnored",
             {"a", "ab", "abc"},
             "a cab is abc",
             "a cab is abc"},
        Case{"EmptySecretIgnored", {""}, "text", "text"},
        Case{"FourCharactersIsEnough", {"abcd"}, "xabcdx", "x[REDACTED]x"},
        Case{"ShortIgnoredLongKept",
             {"abc", "secret-value"},
             "abc secret-value",
             "abc [REDACTED]"},
        Case{"DuplicateSecrets",
             {"secret-value", "secret-value"},
             "secret-value",
             "[REDACTED]"},
        Case{"CaseSensitive",
             {"Secret"},
             "secret SECRET Secret",
             "secret SECRET [REDACTED]"},
        Case{"MultiLineText",
             {"hf_abcdef"},
             "line1 hf_abc\ndef\nline3 hf_abcdef\n",
             "line1 hf_abc\ndef\nline3 [REDACTED]\n"},
        Case{"BinaryBytes",
             {std::string("se\0cret", 7)},
             std::string("a se\0cret b", 11),
             "a [REDACTED] b"}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(RedactorDefaultTest, RedactsNothing) {
  Redactor redactor;
  EXPECT_EQ(redactor.Redact("hf_abcdef"), "hf_abcdef");
  EXPECT_EQ(redactor.Redact(""), "");
}

TEST(RedactorDefaultTest, OutputNeverContainsASecret) {
  // Whatever is around them, no secret of 4+ characters survives.
  const std::vector<std::string> secrets = {"tok1tok1", "1tok", "k1to",
                                            "secret"};
  Redactor redactor(secrets);
  const std::string text =
      "tok1tok1tok1 xsecretsecretx 1tok1tok k1tok1to secresecret";
  const std::string out = redactor.Redact(text);
  for (const std::string& secret : secrets) {
    EXPECT_EQ(out.find(secret), std::string::npos) << secret << " in " << out;
  }
}

}  // namespace
}  // namespace tao::platforms
