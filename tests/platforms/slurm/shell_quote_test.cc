#include "platforms/slurm/shell_quote.h"

#include "gtest/gtest.h"

namespace tao::platforms::slurm {
namespace {

struct QuoteCase {
  const char* word;
  const char* quoted;
};

// Python's shlex.quote gives the same answers.
TEST(ShellQuoteTest, QuotesLikeShlex) {
  const QuoteCase cases[] = {
      {"", "''"},
      {"plain", "plain"},
      {"a/b.c:d,e=f+g@h%i_j-k", "a/b.c:d,e=f+g@h%i_j-k"},
      {"two words", "'two words'"},
      {"it's", "'it'\"'\"'s'"},
      {"$HOME", "'$HOME'"},
      {"a\nb", "'a\nb'"},
      {"nvcr.io#x", "'nvcr.io#x'"},
  };
  for (const QuoteCase& c : cases) {
    EXPECT_EQ(ShellQuote(c.word), c.quoted) << c.word;
  }
}

TEST(ShellQuoteTest, JoinQuotesEachWord) {
  EXPECT_EQ(ShellJoin({"ls", "-l", "a b"}), "ls -l 'a b'");
  EXPECT_EQ(ShellJoin({}), "");
}

}  // namespace
}  // namespace tao::platforms::slurm
