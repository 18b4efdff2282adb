// BrevCli against a stand-in `brev` (a shell script written by the test)
// that records how it was run: stdin is /dev/null, the environment holds
// none of the server's secrets, a logged-out brev is logged in once with
// BREV_API_TOKEN, and a refused token never shows in a message. The fake
// brev CLI of tests/fakes/brev checks the rest against the reference.
#include "platforms/brev/brev_cli.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace tao::platforms::brev {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "brev-api-token-CANARY-91c2";

class BrevCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TAO_BREV_CLI_TEST_SECRET", "server-secret-CANARY", 1);
    binary_ = dir_.path() + "/brev";
    // Logged out until `login --token <kToken>`; then `ls --json` lists one
    // instance. Every call appends: argv, stdin's kind, the env names.
    std::ofstream script(binary_);
    script << "#!/bin/sh\n"
           << "D=" << dir_.path() << "\n"
           << "kind=other; [ -c /dev/stdin ] && kind=char\n"
           << "echo \"$* | stdin=$kind | $(env | cut -d= -f1 | sort | tr "
              "'\\n' ' ')\" >> $D/calls\n"
           << "case \"$1\" in\n"
           << "  login) [ \"$3\" = '" << kToken
           << "' ] && touch $D/in && "
              "exit 0; echo \"bad token $3\" >&2; exit 1;;\n"
           << "  ls) if [ ! -e $D/in ]; then printf 'You are currently "
              "logged out, would you like to log in? [Y/n]: '; echo EOF >&2;"
              " exit 1; fi\n"
           << "      echo 'warning: something' >&2\n"
           << "      echo '{\"workspaces\":[{\"name\":\"tao-a1\",\"status\":"
              "\"RUNNING\",\"build_status\":\"COMPLETED\"}]}';;\n"
           << "  delete) echo \"instance with id/name $2 not found\" >&2; "
              "exit 1;;\n"
           << "esac\n";
    script.close();
    chmod(binary_.c_str(), 0755);
  }

  BrevCli Cli(const std::string& token) {
    BrevCli::Options options;
    options.binary = binary_;
    options.api_token = token;
    options.timeout = absl::Seconds(20);
    return BrevCli(options);
  }

  std::string Calls() {
    std::ifstream in(dir_.path() + "/calls");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  tests::TempDir dir_{"brev-cli-test"};
  std::string binary_;
};

TEST_F(BrevCliTest, LogsInOnceWhenLoggedOutThenLists) {
  BrevCli cli = Cli(kToken);
  absl::StatusOr<std::vector<BrevInstance>> instances = cli.List();
  ASSERT_TRUE(instances.ok()) << instances.status();
  ASSERT_EQ(instances->size(), 1u);
  EXPECT_EQ((*instances)[0].name, "tao-a1");
  const std::string calls = Calls();
  EXPECT_THAT(calls, HasSubstr("ls --json | stdin=char"));
  EXPECT_THAT(calls, HasSubstr("login --token"));
  EXPECT_THAT(calls, HasSubstr("BREV_NO_ANALYTICS"));
  EXPECT_THAT(calls, Not(HasSubstr("TAO_BREV_CLI_TEST_SECRET")))
      << "brev got the server's environment";
}

TEST_F(BrevCliTest, LoggedOutWithoutATokenSaysWhatToSet) {
  absl::StatusOr<std::vector<BrevInstance>> instances = Cli("").List();
  EXPECT_EQ(instances.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(instances.status().message(), HasSubstr("BREV_API_TOKEN"));
}

TEST_F(BrevCliTest, ARefusedTokenIsNamedButNotShown) {
  const std::string wrong = "wrong-token-CANARY-7f";
  absl::StatusOr<std::vector<BrevInstance>> instances = Cli(wrong).List();
  EXPECT_EQ(instances.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(instances.status().message(), HasSubstr("BREV_API_TOKEN"));
  EXPECT_THAT(instances.status().message(), Not(HasSubstr(wrong)));
}

TEST_F(BrevCliTest, DeletingAnInstanceBrevDoesNotListIsNotFound) {
  BrevCli cli = Cli(kToken);
  absl::Status deleted = cli.Delete("tao-gone");
  EXPECT_EQ(deleted.code(), absl::StatusCode::kNotFound) << deleted;
  EXPECT_THAT(deleted.message(), HasSubstr("tao-gone"));
  EXPECT_EQ(cli.Find("tao-a1")->status, "RUNNING");
}

TEST_F(BrevCliTest, AMissingBinarySaysSo) {
  BrevCli::Options options;
  options.binary = dir_.path() + "/no-such-brev";
  absl::StatusOr<std::vector<BrevInstance>> instances = BrevCli(options).List();
  EXPECT_EQ(instances.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(instances.status().message(), HasSubstr("BREV_BIN"));
}

}  // namespace
}  // namespace tao::platforms::brev
