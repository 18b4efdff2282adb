// The brev driver's remote scripts run by a real /bin/sh with a stand-in
// `docker` first on PATH that prints the arguments it got and the env
// file it was given: quoting survives the shell, secrets arrive only
// through the env file, which is 0600 and gone afterwards.
#include "platforms/brev/remote_container.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/common/subprocess.h"
#include "tests/support/temp_dir.h"

namespace tao::platforms::brev {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Phase = RuntimeState::Phase;

constexpr char kSecret[] = "hf_REMOTE_CANARY_5e1";

class RemoteContainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string docker = bin_.path() + "/docker";
    std::ofstream script(docker);
    // One argument per line; for --env-file, its mode and content.
    script << "#!/bin/sh\n"
           << "for a in \"$@\"; do echo \"arg:$a\"; done\n"
           << "while [ $# -gt 0 ]; do\n"
           << "  if [ \"$1\" = --env-file ]; then echo \"file:$2\"; "
              "stat -c 'mode:%a' \"$2\"; sed 's/^/env:/' \"$2\"; fi\n"
           << "  shift\n"
           << "done\n";
    script.close();
    chmod(docker.c_str(), 0755);
  }

  RunResult Sh(const std::string& script, const std::string& stdin_text) {
    RunOptions options;
    options.stdin_text = stdin_text;
    options.timeout = absl::Seconds(20);
    absl::StatusOr<RunResult> result = platforms::Run(
        {"env", absl::StrCat("PATH=", bin_.path(), ":/usr/bin:/bin"), "/bin/sh",
         "-c", script},
        options);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : RunResult();
  }

  RemoteContainer Container() {
    RemoteContainer c;
    c.job_id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    c.network_arch = "cosmos-rl";
    c.server_instance = "host a";
    c.image = "nvcr.io/nvidia/tao/tao-toolkit:6.0";
    c.inner_command = "umask 0 && serve --job '{\"a\": \"b c\"}' --port 8080";
    c.env = {{"TAO_API_JOB_ID", c.job_id}, {"QUOTED", "it's $HOME"}};
    c.secret_names = {"HF_TOKEN"};
    c.host_port = 8081;
    c.num_gpus = 1;
    c.shm_size_bytes = 64 << 20;
    return c;
  }

  tests::TempDir bin_{"brev-remote-test"};
};

TEST_F(RemoteContainerTest, RunReachesDockerWordForWordWithSecretsInAFile) {
  absl::StatusOr<std::string> script = RunScript(Container());
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_THAT(*script, Not(HasSubstr(kSecret)));
  absl::StatusOr<std::string> secrets = SecretEnvFile({{"HF_TOKEN", kSecret}});
  ASSERT_TRUE(secrets.ok());
  const RunResult result = Sh(*script, *secrets);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  const std::string& out = result.output;
  EXPECT_THAT(out, HasSubstr("arg:run\narg:--env-file\n"));
  EXPECT_THAT(out, HasSubstr("arg:--name\narg:1b4e28ba-2fa1-11d2-883f-"
                             "0016d3cca427\n"));
  EXPECT_THAT(out, HasSubstr("arg:-p\narg:127.0.0.1:8081:8080\n"));
  EXPECT_THAT(out, HasSubstr("arg:--gpus\narg:count=1\n"));
  EXPECT_THAT(out, HasSubstr("arg:ai.tao.inference.server_instance=host a\n"));
  EXPECT_THAT(out, HasSubstr("arg:QUOTED=it's $HOME\n"));
  EXPECT_THAT(out,
              HasSubstr("arg:--entrypoint\narg:/bin/bash\narg:nvcr.io/"
                        "nvidia/tao/tao-toolkit:6.0\narg:-c\narg:umask 0 "
                        "&& serve --job '{\"a\": \"b c\"}' --port 8080\n"));
  EXPECT_THAT(out, HasSubstr("mode:600\n"));
  EXPECT_THAT(out, HasSubstr(absl::StrCat("env:HF_TOKEN=", kSecret, "\n")));
  // The file is gone once the script ends.
  const size_t at = out.find("file:");
  ASSERT_NE(at, std::string::npos);
  const std::string path = out.substr(at + 5, out.find('\n', at) - at - 5);
  struct stat info;
  EXPECT_NE(stat(path.c_str(), &info), 0) << path << " was left behind";
}

TEST_F(RemoteContainerTest, WithoutSecretsNoEnvFile) {
  RemoteContainer c = Container();
  c.secret_names.clear();
  c.num_gpus = 0;
  absl::StatusOr<std::string> script = RunScript(c);
  ASSERT_TRUE(script.ok()) << script.status();
  const RunResult result = Sh(*script, "");
  EXPECT_THAT(result.output, Not(HasSubstr("--env-file")));
  EXPECT_THAT(result.output, Not(HasSubstr("--gpus")));
}

TEST_F(RemoteContainerTest, BadInputIsRefusedWithoutTheValue) {
  RemoteContainer c = Container();
  c.job_id = "-rm";
  EXPECT_EQ(RunScript(c).status().code(), absl::StatusCode::kInvalidArgument);
  c = Container();
  c.host_port = 0;
  EXPECT_EQ(RunScript(c).status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::string> file =
      SecretEnvFile({{"HF_TOKEN", std::string(kSecret) + "\nX=1"}});
  EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(file.status().message(), HasSubstr("HF_TOKEN"));
  EXPECT_THAT(file.status().message(), Not(HasSubstr(kSecret)));
}

TEST(StateFromInspectTest, EveryAnswer) {
  EXPECT_EQ(StateFromInspect("running 0\n").phase, Phase::kRunning);
  EXPECT_EQ(StateFromInspect("created 0").phase, Phase::kPending);
  EXPECT_EQ(StateFromInspect("missing\n").phase, Phase::kMissing);
  EXPECT_EQ(StateFromInspect("").phase, Phase::kUnknown);
  const RuntimeState exited = StateFromInspect("exited 3\n");
  EXPECT_EQ(exited.phase, Phase::kExited);
  EXPECT_TRUE(exited.has_exit_code);
  EXPECT_EQ(exited.exit_code, 3);
}

TEST(ParseOwnedTest, NamesAndArchitectures) {
  EXPECT_THAT(
      ParseOwned("job-1 cosmos-rl\njob-2 cosmos-predict2.5\n\n"),
      ::testing::ElementsAre(
          std::make_pair(std::string("job-1"), std::string("cosmos-rl")),
          std::make_pair(std::string("job-2"),
                         std::string("cosmos-predict2.5"))));
}

// `docker port` prints one line per binding, IPv6 ones bracketed.
TEST(ParsePublishedAddressTest, TheIpv4BindingAndEveryAddressAsLoopback) {
  EXPECT_EQ(*ParsePublishedAddress("127.0.0.1:8081\n"), "127.0.0.1");
  EXPECT_EQ(*ParsePublishedAddress("[::]:8081\n0.0.0.0:8081\n"), "127.0.0.1");
  EXPECT_EQ(*ParsePublishedAddress("127.3.4.5:8080"), "127.3.4.5");
  absl::StatusOr<std::string> none = ParsePublishedAddress(
      "Error: No public port '8080/tcp' published for j\n");
  EXPECT_TRUE(absl::IsNotFound(none.status()));
  EXPECT_THAT(none.status().message(), HasSubstr("No public port"));
  EXPECT_FALSE(ParsePublishedAddress("").ok());
}

TEST(ScriptsTest, QuoteTheJobId) {
  EXPECT_EQ(RemoveScript("a b"), "docker rm -f 'a b' >/dev/null 2>&1; true");
  EXPECT_EQ(PublishedAddressScript("a b"), "docker port 'a b' 8080/tcp");
  EXPECT_EQ(LogsScript("j", 20), "docker logs --tail 20 j 2>&1");
  EXPECT_EQ(LogsScript("j", 0), "docker logs --tail all j 2>&1");
  EXPECT_THAT(ListOwnedScript("host a"),
              HasSubstr("'label=ai.tao.inference.server_instance=host a'"));
}

}  // namespace
}  // namespace tao::platforms::brev
