#include "client/cli/args.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::cli {
namespace {

using ::testing::HasSubstr;

constexpr char kDefault[] = "default-host:50051";

absl::StatusOr<CliArgs> Parse(std::vector<std::string> args) {
  return ParseArgs(args, kDefault);
}

TEST(DefaultServerTest, EnvironmentWinsWhenSet) {
  EXPECT_EQ(DefaultServer(nullptr), "127.0.0.1:50051");
  EXPECT_EQ(DefaultServer(""), "127.0.0.1:50051");
  EXPECT_EQ(DefaultServer("infer.example:7000"), "infer.example:7000");
}

struct CommandCase {
  std::vector<std::string> args;
  Command command;
};

void PrintTo(const CommandCase& c, std::ostream* os) {
  *os << CommandName(c.command);
}

class CommandNamesTest : public ::testing::TestWithParam<CommandCase> {};

TEST_P(CommandNamesTest, RecognisesTheSubcommand) {
  absl::StatusOr<CliArgs> parsed = Parse(GetParam().args);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->command, GetParam().command);
  EXPECT_EQ(parsed->server, kDefault);
  EXPECT_FALSE(parsed->json);
}

INSTANTIATE_TEST_SUITE_P(
    EachSubcommand, CommandNamesTest,
    ::testing::Values(CommandCase{{"start", "--platform", "p", "--network-arch",
                                   "a", "--model-path", "/m"},
                                  Command::kStart},
                      CommandCase{{"stop"}, Command::kStop},
                      CommandCase{{"stop", "job-1"}, Command::kStop},
                      CommandCase{{"list"}, Command::kList},
                      CommandCase{{"get", "job-1"}, Command::kGet},
                      CommandCase{{"wait", "job-1"}, Command::kWait},
                      CommandCase{{"infer", "--text", "hi"}, Command::kInfer}));

TEST(ParseArgsTest, StartTakesEveryFlagInBothForms) {
  absl::StatusOr<CliArgs> parsed = Parse(
      {"start", "--platform=local-docker", "--network-arch", "cosmos-rl",
       "--model-path=hf_model://nvidia/x", "--model-key", "base-2b",
       "--image=img:1", "--num-gpus", "2", "--host-port=8090", "--request-id",
       "r-1", "--env", "A=1", "--env=B=x=y", "--wait", "--timeout=90.5"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const StartArgs& start = parsed->start;
  EXPECT_EQ(start.platform, "local-docker");
  EXPECT_EQ(start.network_arch, "cosmos-rl");
  EXPECT_EQ(start.model_path, "hf_model://nvidia/x");
  EXPECT_EQ(start.model_key, "base-2b");
  EXPECT_EQ(start.image, "img:1");
  EXPECT_EQ(start.num_gpus, 2);
  EXPECT_EQ(start.host_port, 8090);
  EXPECT_EQ(start.request_id, "r-1");
  EXPECT_EQ(start.env.at("A"), "1");
  EXPECT_EQ(start.env.at("B"), "x=y");  // only the first '=' splits
  EXPECT_TRUE(start.wait);
  EXPECT_EQ(start.timeout_seconds, 90.5);
}

TEST(ParseArgsTest, InferCollectsInputsAndSamplingFlags) {
  absl::StatusOr<CliArgs> parsed = Parse({"infer",
                                          "--network-arch",
                                          "cosmos-predict2.5",
                                          "--text=a robot",
                                          "--image",
                                          "a.png",
                                          "--image=https://x/b.jpg",
                                          "--video",
                                          "c.mp4",
                                          "--max-tokens",
                                          "77",
                                          "--guidance=3",
                                          "--num-steps",
                                          "20",
                                          "--seed",
                                          "-5",
                                          "--negative-prompt",
                                          "blurry",
                                          "--accept-defaults",
                                          "--wait-for-ready",
                                          "--output=out.mp4",
                                          "--timeout",
                                          "600"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const InferArgs& infer = parsed->infer;
  EXPECT_EQ(infer.network_arch, "cosmos-predict2.5");
  EXPECT_EQ(infer.text, "a robot");
  EXPECT_THAT(infer.images, ::testing::ElementsAre("a.png", "https://x/b.jpg"));
  EXPECT_THAT(infer.videos, ::testing::ElementsAre("c.mp4"));
  EXPECT_EQ(infer.sampling.max_tokens(), 77);
  EXPECT_EQ(infer.sampling.guidance(), 3);
  EXPECT_EQ(infer.sampling.num_steps(), 20);
  EXPECT_EQ(infer.sampling.seed(), -5);
  EXPECT_EQ(infer.sampling.negative_prompt(), "blurry");
  EXPECT_FALSE(infer.sampling.has_temperature());
  EXPECT_TRUE(infer.accept_defaults);
  EXPECT_TRUE(infer.wait_for_ready);
  EXPECT_EQ(infer.output, "out.mp4");
  EXPECT_EQ(infer.timeout_seconds, 600);
}

TEST(ParseArgsTest, InferFloatSamplingFlags) {
  absl::StatusOr<CliArgs> parsed =
      Parse({"infer", "--job-id", "j", "--text", "t", "--temperature=0.25",
             "--top-p", "0.9"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->infer.job_id, "j");
  EXPECT_DOUBLE_EQ(parsed->infer.sampling.temperature(), 0.25);
  EXPECT_DOUBLE_EQ(parsed->infer.sampling.top_p(), 0.9);
  EXPECT_FALSE(parsed->infer.sampling.has_max_tokens());
}

TEST(ParseArgsTest, GlobalFlagsBeforeOrAfterTheCommand) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--server", "h:1", "--json", "list"},
           {"--server=h:1", "list", "--json"},
           {"list", "--json", "--server", "h:1"},
           {"list", "--server=h:1", "--json"}}) {
    absl::StatusOr<CliArgs> parsed = Parse(args);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->command, Command::kList);
    EXPECT_EQ(parsed->server, "h:1");
    EXPECT_TRUE(parsed->json);
  }
}

TEST(ParseArgsTest, PositionalJobIds) {
  EXPECT_EQ(Parse({"get", "j1", "--refresh"})->get.job_id, "j1");
  EXPECT_TRUE(Parse({"get", "--refresh", "j1"})->get.refresh);
  EXPECT_EQ(Parse({"wait", "j2", "--timeout", "5"})->wait.job_id, "j2");
  EXPECT_EQ(Parse({"wait", "j2", "--timeout", "5"})->wait.timeout_seconds, 5);
  EXPECT_EQ(Parse({"stop", "j3", "--yes"})->stop.job_id, "j3");
  EXPECT_TRUE(Parse({"stop", "--yes"})->stop.yes);
  EXPECT_EQ(Parse({"stop", "--yes"})->stop.job_id, "");
  // After "--" a job id may start with dashes.
  EXPECT_EQ(Parse({"get", "--", "--odd"})->get.job_id, "--odd");
}

TEST(ParseArgsTest, EveryServerCommandTakesATimeout) {
  EXPECT_EQ(Parse({"list", "--timeout", "2.5"})->list.timeout_seconds, 2.5);
  EXPECT_EQ(Parse({"get", "j", "--timeout=3"})->get.timeout_seconds, 3);
  EXPECT_EQ(Parse({"stop", "j", "--timeout", "4"})->stop.timeout_seconds, 4);
  EXPECT_FALSE(Parse({"list"})->list.timeout_seconds.has_value());
  EXPECT_FALSE(Parse({"list", "--timeout", "0"}).ok());
}

TEST(ParseArgsTest, ListFiltersAndRefresh) {
  absl::StatusOr<CliArgs> parsed = Parse(
      {"list", "--refresh", "--network-arch=cosmos-rl", "--platform", "slurm"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->list.refresh);
  EXPECT_EQ(parsed->list.network_arch, "cosmos-rl");
  EXPECT_EQ(parsed->list.platform, "slurm");
}

TEST(ParseArgsTest, Help) {
  EXPECT_TRUE(Parse({"--help"})->help);
  EXPECT_EQ(Parse({"--help"})->help_topic, Command::kNone);
  EXPECT_EQ(Parse({"infer", "--help"})->help_topic, Command::kInfer);
  EXPECT_EQ(Parse({"-h", "start"})->help_topic, Command::kStart);
  EXPECT_EQ(Parse({"help", "wait"})->help_topic, Command::kWait);
  EXPECT_TRUE(Parse({"help"})->help);
  // --help skips the checks of required flags.
  EXPECT_TRUE(Parse({"start", "--help"}).ok());
}

struct ErrorCase {
  std::vector<std::string> args;
  std::string expected;  // part of the message
};

void PrintTo(const ErrorCase& c, std::ostream* os) {
  if (c.args.empty()) *os << "no_args";
  for (const std::string& arg : c.args) *os << arg << "_";
}

class ParseErrorsTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrorsTest, RefusedWithAMessageThatSaysWhy) {
  absl::StatusOr<CliArgs> parsed = Parse(GetParam().args);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseErrorsTest,
    ::testing::Values(
        ErrorCase{{}, "no command given"},
        ErrorCase{{"launch"}, "unknown command 'launch'"},
        ErrorCase{{"list", "--bogus"},
                  "unknown flag --bogus for `tao-infer list`"},
        ErrorCase{{"--text", "x", "infer"}, "only --server, --json and --help"},
        ErrorCase{{"list", "-x"}, "unknown flag '-x'"},
        ErrorCase{{"get"}, "needs a JOB_ID"},
        ErrorCase{{"wait"}, "needs a JOB_ID"},
        ErrorCase{{"get", "a", "b"}, "unexpected argument 'b'"},
        ErrorCase{{"list", "extra"}, "unexpected argument 'extra'"},
        ErrorCase{{"list", "--server"}, "--server needs a value"},
        ErrorCase{{"infer", "--text"}, "--text needs a value"},
        ErrorCase{{"infer", "--text", "--json"}, "write --text=VALUE"},
        ErrorCase{{"list", "--json=yes"}, "--json takes no value"},
        ErrorCase{{"start", "--network-arch", "a", "--model-path", "m"},
                  "start needs --platform"},
        ErrorCase{{"start", "--platform", "p", "--model-path", "m"},
                  "start needs --network-arch"},
        ErrorCase{{"start", "--platform", "p", "--network-arch", "a"},
                  "start needs --model-path"},
        ErrorCase{{"start", "--platform", "p", "--network-arch", "a",
                   "--model-path", "m", "--num-gpus", "0"},
                  "--num-gpus: '0'"},
        ErrorCase{{"start", "--platform", "p", "--network-arch", "a",
                   "--model-path", "m", "--host-port", "70000"},
                  "--host-port: '70000'"},
        ErrorCase{{"start", "--platform", "p", "--network-arch", "a",
                   "--model-path", "m", "--env", "NOEQUALS"},
                  "is not NAME=VALUE"},
        ErrorCase{{"start", "--platform", "p", "--network-arch", "a",
                   "--model-path", "m", "--env", "A=1", "--env", "A=2"},
                  "A is given twice"},
        ErrorCase{{"start", "--platform", "slurm", "--network-arch", "a",
                   "--model-path", "m", "--option", "partition"},
                  "--option: 'partition' is not NAME=VALUE"},
        ErrorCase{
            {"start", "--platform", "slurm", "--network-arch", "a",
             "--model-path", "m", "--option", "user=a", "--option", "user=b"},
            "--option: user is given twice"},
        ErrorCase{{"start", "--platform", "test", "--network-arch", "a",
                   "--model-path", "m", "--option", "x=1"},
                  "platform 'test' takes no options"},
        ErrorCase{{"wait", "j", "--timeout", "-1"}, "positive number"},
        ErrorCase{{"infer"}, "infer needs an input"},
        ErrorCase{{"infer", "--text", "a", "--text", "b"}, "given twice"},
        ErrorCase{
            {"infer", "--text", "a", "--job-id", "j", "--network-arch", "x"},
            "not both"},
        ErrorCase{{"infer", "--text", "a", "--max-tokens", "many"},
                  "--max-tokens: 'many' is not a whole number"},
        ErrorCase{{"infer", "--text", "a", "--temperature", "warm"},
                  "--temperature: 'warm' is not a number"},
        ErrorCase{{"stop", "a", "b"}, "unexpected argument 'b'"},
        ErrorCase{{"help", "nope"}, "unknown command 'nope'"}));

TEST(WantsJsonTest, SeesJsonEvenInArgumentsThatDoNotParse) {
  EXPECT_TRUE(WantsJson({"list", "--bogus", "--json"}));
  EXPECT_FALSE(WantsJson({"list", "--bogus"}));
  EXPECT_FALSE(WantsJson({"get", "--", "--json"}));
}

}  // namespace
}  // namespace tao::cli
