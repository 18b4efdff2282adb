// fake-brev as a real process, run as `brev` from a bin folder first on
// PATH with stdin /dev/null (or a pipe) and stdout/stderr on pipes: the
// shapes and quirks of brev-cli.md that need no machine behind the
// instances (ls --json's null, the logged-out prompt and EOF, pflag's
// refusals, the name rule and the taken name, stdin names, the
// asynchronous delete, exec's lookups, the call log).
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/brev/auth.h"
#include "tests/fakes/brev/fake_brev_fixture.h"

namespace tao::fakes::brev {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

TEST_F(FakeBrevTest, LsJsonIsNullWithoutInstances) {
  ProcessResult ls = Brev({"ls", "--json"});
  EXPECT_EQ(ls.exit_code, 0);
  EXPECT_EQ(ls.out, "{\n  \"workspaces\": null\n}\n");
  EXPECT_THAT(ls.err, IsEmpty());
}

TEST_F(FakeBrevTest, LsJsonHasTheFieldsInOrderAndShowsUnhealthy) {
  ASSERT_TRUE(fake_->Seed("tao-a").ok());
  ASSERT_TRUE(fake_
                  ->Change([](State& state) {
                    state.Find("tao-a")->health_status = "UNHEALTHY";
                  })
                  .ok());
  nlohmann::ordered_json ls = Ls();
  ASSERT_TRUE(ls["workspaces"].is_array()) << ls.dump();
  const nlohmann::ordered_json& workspace = ls["workspaces"][0];
  std::vector<std::string> keys;
  for (auto it = workspace.begin(); it != workspace.end(); ++it) {
    keys.push_back(it.key());
  }
  EXPECT_THAT(keys,
              ::testing::ElementsAre("name", "id", "status", "build_status",
                                     "shell_status", "health_status",
                                     "instance_type", "instance_kind", "gpu"));
  EXPECT_EQ(workspace["status"], "UNHEALTHY");
  EXPECT_EQ(workspace["health_status"], "UNHEALTHY");
  EXPECT_EQ(workspace["shell_status"], "READY");
  EXPECT_EQ(workspace["gpu"], "L40S");
  EXPECT_EQ(workspace["id"].get<std::string>().size(), 9u);
}

TEST_F(FakeBrevTest, LoggedOutPromptsOnStdoutAndFailsWithEof) {
  std::unique_ptr<FakeBrevHome> fake = Make(LoggedOut());
  ASSERT_NE(fake, nullptr);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"ls", "--json"},
        {"create", "tao-a", "-d", "-t", "g6e.xlarge"},
        {"delete", "tao-a"},
        {"exec", "tao-a", "echo ok"},
        {"port-forward", "tao-a", "-p", "1:2"}}) {
    ProcessResult run = Brev(*fake, args);
    EXPECT_EQ(run.exit_code, 1) << args[0];
    EXPECT_EQ(run.out, kLoginPrompt) << args[0];
    EXPECT_EQ(run.err, "EOF\n") << args[0];
  }
  absl::StatusOr<State> state = fake->ReadState();
  ASSERT_TRUE(state.ok());
  EXPECT_THAT(state->instances, IsEmpty());
}

TEST_F(FakeBrevTest, AnExpiredTokenActsAsLoggedOutUntilTheNextLogin) {
  ASSERT_TRUE(fake_->ExpireToken().ok());
  ProcessResult ls = Brev({"ls", "--json"});
  EXPECT_EQ(ls.exit_code, 1);
  EXPECT_EQ(ls.out, kLoginPrompt);
  EXPECT_EQ(ls.err, "EOF\n");
  ASSERT_EQ(Brev({"login", "--token", fake_->token()}).exit_code, 0);
  EXPECT_EQ(Brev({"ls", "--json"}).exit_code, 0);
}

TEST_F(FakeBrevTest, LoginChecksTheTokenAndWritesCredentials) {
  std::unique_ptr<FakeBrevHome> fake = Make(LoggedOut());
  ASSERT_NE(fake, nullptr);
  const std::string credentials = CredentialsPath(fake->home());
  ProcessResult wrong = Brev(*fake, {"login", "--token", "not-it"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_FALSE(std::ifstream(credentials).good());

  ProcessResult right = Brev(*fake, {"login", "--token", fake->token()});
  EXPECT_EQ(right.exit_code, 0) << right.err;
  EXPECT_THAT(right.out, StartsWith("▸ Starting Login"));
  std::stringstream text;
  text << std::ifstream(credentials).rdbuf();
  nlohmann::json stored = nlohmann::json::parse(text.str(), nullptr, false);
  // Not a JWT: stored as the refresh token (auth.go LoginWithToken).
  EXPECT_EQ(stored["refresh_token"], fake->token());
  EXPECT_EQ(stored["access_token"], "auto-login");
  EXPECT_EQ(Brev(*fake, {"ls", "--json"}).exit_code, 0);
}

TEST_F(FakeBrevTest, FlagsBrevDoesNotHaveAreRefused) {
  for (const auto& [args, message] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"create", "tao-a", "--gpu", "L40S:1"}, "unknown flag: --gpu"},
           {{"create", "tao-a", "--cloud-cred-id", "c"},
            "unknown flag: --cloud-cred-id"},
           {{"create", "tao-a", "--workspace-group-id=w"},
            "unknown flag: --workspace-group-id"},
           {{"delete", "tao-a", "--yes"}, "unknown flag: --yes"},
           {{"create", "tao-a", "-x"}, "unknown shorthand flag: 'x' in -x"}}) {
    ProcessResult run = Brev(args);
    EXPECT_EQ(run.exit_code, 1) << message;
    EXPECT_EQ(run.err, message + "\n");
    EXPECT_THAT(run.out, IsEmpty());
  }
  EXPECT_EQ(StatusInLs("tao-a"), "");
}

TEST_F(FakeBrevTest, CreateHelpListsItsRealFlags) {
  ProcessResult help = Brev({"create", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"-t, --type string", "-g, --gpu-name string",
                           "-d, --detached", "--timeout int", "-c, --count"}) {
    EXPECT_THAT(help.out, HasSubstr(flag));
  }
  EXPECT_THAT(help.out, Not(HasSubstr("--gpu ")));
  EXPECT_THAT(help.out, Not(HasSubstr("cloud-cred")));
  EXPECT_THAT(help.out, Not(HasSubstr("workspace-group")));
}

TEST_F(FakeBrevTest, CreateChecksTheNameRule) {
  for (const std::string& bad :
       {std::string("-leading-dash"), std::string("_x"), std::string("a b"),
        std::string("a/b"), std::string(64, 'a')}) {
    ProcessResult run = Brev({"create", "-d", "--", bad});
    EXPECT_EQ(run.exit_code, 1) << bad;
    EXPECT_THAT(run.err, HasSubstr("invalid instance name")) << bad;
  }
  const std::string longest = "a" + std::string(61, 'b') + "9";
  ProcessResult ok = Brev({"create", longest, "-d"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, longest + "\n");
}

TEST_F(FakeBrevTest, CreateRefusesATakenName) {
  ASSERT_EQ(Brev({"create", "tao-a", "-d"}).exit_code, 0);
  ProcessResult again = Brev({"create", "tao-a", "-d"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err,
              HasSubstr("workspace 'tao-a' already exists. Use a different "
                        "name or delete the existing workspace"));
  EXPECT_THAT(again.err, EndsWith("could only create 0/1 instances\n"));
  EXPECT_THAT(again.out, IsEmpty());
}

TEST_F(FakeBrevTest, CreatePipedPrintsOnlyTheNameAndBootsAfterTheDelay) {
  ProcessResult create = Brev({"create", "tao-a", "-g", "L40S", "--detached"});
  EXPECT_EQ(create.exit_code, 0) << create.err;
  EXPECT_EQ(create.out, "tao-a\n");
  EXPECT_THAT(create.err, HasSubstr("[Worker 1] g6e.xlarge Success! Created "
                                    "instance 'tao-a'"));
  EXPECT_EQ(StatusInLs("tao-a"), "DEPLOYING");
  EXPECT_TRUE(EventuallyStatus("tao-a", "RUNNING"));
  std::optional<Instance> instance = fake_->FindInstance("tao-a");
  ASSERT_TRUE(instance.has_value());
  EXPECT_EQ(instance->instance_type, "g6e.xlarge");
  EXPECT_EQ(instance->build_status, "COMPLETED");
}

TEST_F(FakeBrevTest, CreateWithCountNamesThemWithSuffixes) {
  ProcessResult create =
      Brev({"create", "tao", "-c", "2", "-d", "-t", "g5.xlarge"});
  EXPECT_EQ(create.exit_code, 0) << create.err;
  EXPECT_EQ(create.out, "tao-1\ntao-2\n");
  EXPECT_EQ(fake_->FindInstance("tao-2")->gpu, "A10G");
}

TEST_F(FakeBrevTest, CreateFailureKnobEndsInFailureAndStillExitsZero) {
  fake_->SetEnv("FAKE_BREV_CREATE_FAILURE", "no capacity in zone");
  ProcessResult create = Brev({"create", "tao-a"});
  EXPECT_EQ(create.exit_code, 0) << create.err;
  EXPECT_THAT(create.err, HasSubstr("instance tao-a failed: no capacity in "
                                    "zone"));
  EXPECT_EQ(StatusInLs("tao-a"), "FAILURE");
  EXPECT_EQ(fake_->FindInstance("tao-a")->build_status, "CREATE_FAILED");
}

TEST_F(FakeBrevTest, CreateErrorKnobIsAPlacementError) {
  fake_->SetEnv("FAKE_BREV_CREATE_ERROR", "no instances available");
  ProcessResult create =
      Brev({"create", "tao-a", "-t", "g5.xlarge,g6e.xlarge"});
  EXPECT_EQ(create.exit_code, 1);
  EXPECT_THAT(create.err,
              HasSubstr("[Worker 1] g6e.xlarge Failed: no instances "
                        "available"));
  EXPECT_THAT(create.err, EndsWith("could only create 0/1 instances\n"));
  EXPECT_EQ(StatusInLs("tao-a"), "");
}

TEST_F(FakeBrevTest, CreateTimeoutOnlyLogsAndExitsZero) {
  fake_->SetEnv("FAKE_BREV_BOOT_MS", "60000");
  ProcessResult create = Brev({"create", "tao-a", "--timeout", "1"});
  EXPECT_EQ(create.exit_code, 0) << create.err;
  EXPECT_EQ(create.out, "tao-a\n");
  EXPECT_THAT(create.err, HasSubstr("tao-a: Timeout waiting for ready state"));
  EXPECT_GE(create.elapsed, absl::Seconds(1));
  EXPECT_EQ(StatusInLs("tao-a"), "DEPLOYING");
}

TEST_F(FakeBrevTest, LsOutputKnobReturnsSomethingThatIsNotJson) {
  fake_->SetEnv("FAKE_BREV_LS_OUTPUT", "A new version of brev is available\n");
  ProcessResult ls = Brev({"ls", "--json"});
  EXPECT_EQ(ls.exit_code, 0);
  EXPECT_EQ(ls.out, "A new version of brev is available\n");
  EXPECT_TRUE(nlohmann::json::parse(ls.out, nullptr, false).is_discarded());
}

TEST_F(FakeBrevTest, LsPipedWithoutJsonPrintsOnlyNames) {
  ASSERT_TRUE(fake_->Seed("tao-a").ok());
  ASSERT_TRUE(fake_->Seed("tao-b", "STOPPED").ok());
  EXPECT_EQ(Brev({"ls"}).out, "tao-a\ntao-b\n");
}

TEST_F(FakeBrevTest, DeleteIsAsynchronous) {
  ASSERT_TRUE(fake_->Seed("tao-a").ok());
  ProcessResult del = Brev({"delete", "tao-a"});
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_EQ(del.out, "tao-a\n");  // piped: only the name
  EXPECT_EQ(StatusInLs("tao-a"), "DELETING");
  EXPECT_TRUE(EventuallyStatus("tao-a", ""));
  EXPECT_EQ(Brev({"ls", "--json"}).out, "{\n  \"workspaces\": null\n}\n");
}

TEST_F(FakeBrevTest, DeleteReadsInstanceNamesFromAPipedStdinOnly) {
  ASSERT_TRUE(fake_->Seed("tao-a").ok());
  ASSERT_TRUE(fake_->Seed("tao-b").ok());
  ProcessResult none = Brev({"delete"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err,
            "instance name required: provide as argument or pipe from "
            "another command\n");
  EXPECT_EQ(fake_->Calls().back()["stdin"], "devnull");

  ProcessResult piped = Brev({"delete"}, "tao-a\n\n  tao-b  \n");
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.out, "tao-a\ntao-b\n");
  EXPECT_EQ(fake_->Calls().back()["stdin"], "pipe");
  EXPECT_EQ(StatusInLs("tao-a"), "DELETING");
  EXPECT_EQ(StatusInLs("tao-b"), "DELETING");
}

TEST_F(FakeBrevTest, DeleteOfAnUnknownInstanceFails) {
  ProcessResult del = Brev({"delete", "nope"});
  EXPECT_EQ(del.exit_code, 1);
  EXPECT_EQ(del.err, "instance with id/name nope not found\n");
}

TEST_F(FakeBrevTest, CallsRecordArgvStdioAndEnvNamesButNoValues) {
  ASSERT_EQ(Brev({"ls", "--json"}).exit_code, 0);
  const nlohmann::json call = fake_->Calls().back();
  EXPECT_EQ(call["argv"], nlohmann::json({fake_->brev(), "ls", "--json"}));
  EXPECT_EQ(call["stdin"], "devnull");
  EXPECT_EQ(call["stdout"], "pipe");
  EXPECT_EQ(call["stderr"], "pipe");
  const std::vector<std::string> env = call["env"];
  EXPECT_THAT(env, ::testing::Contains("FAKE_BREV_TOKEN"));
  std::stringstream text;
  text << std::ifstream(fake_->fake_dir() + "/calls.jsonl").rdbuf();
  EXPECT_THAT(text.str(), Not(HasSubstr(fake_->token())));
}

TEST_F(FakeBrevTest, StopAndStartMoveThroughTheirStates) {
  ASSERT_TRUE(fake_->Seed("tao-a").ok());
  ProcessResult stop = Brev({"stop", "tao-a"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_EQ(stop.out, "tao-a\n");
  EXPECT_EQ(StatusInLs("tao-a"), "STOPPING");
  EXPECT_TRUE(EventuallyStatus("tao-a", "STOPPED"));
  EXPECT_EQ(Brev({"stop", "tao-a"}).exit_code, 1);  // not running

  ProcessResult start = Brev({"start", "tao-a"});
  EXPECT_EQ(start.exit_code, 0) << start.err;
  EXPECT_EQ(StatusInLs("tao-a"), "STARTING");
  EXPECT_TRUE(EventuallyStatus("tao-a", "RUNNING"));

  ASSERT_TRUE(
      fake_->Change([](State& s) { s.Find("tao-a")->stoppable = false; }).ok());
  EXPECT_EQ(Brev({"stop", "tao-a"}).exit_code, 1);
  EXPECT_EQ(StatusInLs("tao-a"), "RUNNING");
}

TEST_F(FakeBrevTest, ExecOfAnUnknownInstanceLooksItUpAndFails) {
  ProcessResult exec = Brev({"exec", "nope", "echo ok"});
  EXPECT_EQ(exec.exit_code, 1);
  EXPECT_THAT(exec.out, IsEmpty());
  EXPECT_THAT(exec.err, HasSubstr("Connection failed, checking instance "
                                  "status...\n"));
  EXPECT_THAT(exec.err, HasSubstr("ssh connection failed and could not look "
                                  "up instance \"nope\": "));
  EXPECT_THAT(exec.err,
              EndsWith("\nPlease check your instances with: brev ls\n"));
}

TEST_F(FakeBrevTest, ExecOfAnInstanceNotRunningNamesItsState) {
  ASSERT_TRUE(fake_->Seed("tao-a", "DEPLOYING").ok());
  ProcessResult exec = Brev({"exec", "tao-a", "echo ok"});
  EXPECT_EQ(exec.exit_code, 1);
  EXPECT_THAT(exec.err, EndsWith("instance \"tao-a\" is in state "
                                 "\"DEPLOYING\" — please check with: brev "
                                 "ls\n"));
}

TEST_F(FakeBrevTest, ExecTakesEveryArgumentButTheLastAsAnInstance) {
  // The [K] trap: `exec inst -- docker run x` names three instances.
  ProcessResult exec = Brev({"exec", "nope", "--", "docker", "run", "x"});
  EXPECT_EQ(exec.exit_code, 1);
  for (const char* name : {"nope", "docker", "run"}) {
    EXPECT_THAT(exec.err, HasSubstr(absl::StrCat("\n=== ", name, " ===\n")));
    EXPECT_THAT(exec.err, HasSubstr(absl::StrCat("Error on ", name, ": ")));
  }
  EXPECT_THAT(exec.err, HasSubstr("3 errors occurred:\n\t* "));
}

TEST_F(FakeBrevTest, PortForwardChecksItsArguments) {
  ProcessResult bad = Brev({"port-forward", "tao-a", "-p", "8080"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "port format invalid, use local_port:remote_port\n");
  ProcessResult two = Brev({"port-forward", "a", "b", "-p", "1:2"});
  EXPECT_EQ(two.exit_code, 1);
  EXPECT_EQ(two.err, "accepts 1 arg(s), received 2\n");
  ProcessResult unknown = Brev({"port-forward", "nope", "-p", "1:2"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "instance with id/name nope not found\n");
}

TEST_F(FakeBrevTest, UnknownCommandsAndTheErrorStreamKnob) {
  ProcessResult unknown = Brev({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "unknown command \"frobnicate\" for \"brev\"\n");
  fake_->SetEnv("FAKE_BREV_ERROR_STREAM", "stdout");
  ProcessResult on_stdout = Brev({"delete", "nope"});
  EXPECT_EQ(on_stdout.exit_code, 1);
  EXPECT_EQ(on_stdout.out, "instance with id/name nope not found\n");
  EXPECT_THAT(on_stdout.err, IsEmpty());
}

}  // namespace
}  // namespace tao::fakes::brev
