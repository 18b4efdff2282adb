// The tao-infer binary against a real tao-inferd: what a user types, what
// they see, and the exit codes scripts rely on (docs/cli.md).
#include <fstream>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Exit codes documented in docs/cli.md.
constexpr int kOk = 0;
constexpr int kUsage = 2;
constexpr int kTarget = 3;
constexpr int kServiceFailed = 4;
constexpr int kUnreachable = 6;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok()) << server_.Log();
    png_ = server_.dir() + "/cat.png";
    std::ofstream(png_, std::ios::binary) << TinyPng();
  }

  // Starts a service with the CLI and waits for it; its job id.
  std::string StartReady(const std::vector<std::string>& start_args) {
    std::vector<std::string> args = {"start", "--platform", "test"};
    args.insert(args.end(), start_args.begin(), start_args.end());
    args.push_back("--json");
    RunOutput started = server_.Cli(args);
    EXPECT_EQ(started.exit_code, kOk) << started.err;
    nlohmann::json json = StdoutJson(started);
    std::string job_id = json["service"].value("job_id", "");
    EXPECT_FALSE(job_id.empty()) << started.out;
    RunOutput waited = server_.Cli({"wait", job_id});
    EXPECT_EQ(waited.exit_code, kOk) << waited.out << waited.err;
    return job_id;
  }

  ServerHarness server_;
  std::string png_;
};

TEST_F(CliTest, StartWaitInferListStop) {
  const std::string job_id = StartReady(
      {"--network-arch", "cosmos-rl", "--model-path", "/models/a+load-ms-300"});

  RunOutput waited = server_.Cli({"wait", job_id});
  EXPECT_EQ(waited.exit_code, kOk);
  EXPECT_THAT(waited.out + waited.err, HasSubstr("READY"));

  RunOutput inferred = server_.Cli(
      {"infer", "--job-id", job_id, "--text", "What is this?", "--image", png_,
       "--max-tokens", "64", "--temperature", "0.5", "--top-p", "0.9"});
  EXPECT_EQ(inferred.exit_code, kOk) << inferred.err;
  EXPECT_THAT(inferred.out, HasSubstr("What is this?"));

  RunOutput listed = server_.Cli({"list", "--json"});
  EXPECT_EQ(listed.exit_code, kOk) << listed.err;
  nlohmann::json list = StdoutJson(listed);
  ASSERT_EQ(list["services"].size(), 1u) << listed.out;
  EXPECT_EQ(list["services"][0]["job_id"], job_id);
  EXPECT_EQ(list["latest_job_id"], job_id);

  RunOutput human = server_.Cli({"list"});
  EXPECT_EQ(human.exit_code, kOk);
  EXPECT_THAT(human.out, AllOf(HasSubstr(job_id), HasSubstr("cosmos-rl")));

  RunOutput got = server_.Cli({"get", job_id, "--json"});
  EXPECT_EQ(got.exit_code, kOk);
  EXPECT_EQ(StdoutJson(got).value("job_id", ""), job_id) << got.out;

  // stop without a job id names `latest` and wants confirmation.
  RunOutput unconfirmed = server_.Cli({"stop"});
  EXPECT_EQ(unconfirmed.exit_code, kUsage);
  EXPECT_THAT(unconfirmed.out + unconfirmed.err, HasSubstr(job_id));
  EXPECT_EQ(server_.ReadState()["latest"], job_id);
  RunOutput stopped = server_.Cli({"stop", "--yes"});
  EXPECT_EQ(stopped.exit_code, kOk) << stopped.err;
  EXPECT_TRUE(server_.ReadState().empty()) << server_.ReadState().dump();
}

TEST_F(CliTest, InferWithoutTerminalNeedsValuesOrAcceptDefaults) {
  const std::string job_id =
      StartReady({"--network-arch", "cosmos-rl", "--model-path", "/models/a"});
  RunOutput refused = server_.Cli(
      {"infer", "--job-id", job_id, "--text", "hi", "--image", png_});
  EXPECT_EQ(refused.exit_code, kUsage);
  // The fields, defaults and bounds come from the server's catalog
  // (DescribeArchitectures): top_p's minimum is exclusive there.
  EXPECT_THAT(refused.err,
              AllOf(HasSubstr("--max-tokens"), HasSubstr("1024"),
                    HasSubstr("--temperature"), HasSubstr("--top-p X"),
                    HasSubstr("in (0, 1]"), HasSubstr("--accept-defaults")));
  RunOutput as_json = server_.Cli(
      {"infer", "--job-id", job_id, "--text", "hi", "--image", png_, "--json"});
  EXPECT_EQ(as_json.exit_code, kUsage);
  nlohmann::json missing =
      StdoutJson(as_json)["error"]["details"]["missing_fields"];
  ASSERT_EQ(missing.size(), 3u) << as_json.out;
  EXPECT_EQ(missing[2]["name"], "top_p");
  EXPECT_EQ(missing[2]["default"], "0.8");

  RunOutput accepted =
      server_.Cli({"infer", "--job-id", job_id, "--text", "hi", "--image", png_,
                   "--accept-defaults", "--json"});
  EXPECT_EQ(accepted.exit_code, kOk) << accepted.err;
  nlohmann::json answer = StdoutJson(accepted);
  EXPECT_EQ(answer["applied"]["max_tokens"], 1024) << accepted.out;
}

TEST_F(CliTest, VideoAnswerIsWrittenToTheNamedFile) {
  StartReady({"--network-arch", "cosmos-predict2.5", "--model-path",
              "hf_model://nvidia/Cosmos-Predict2.5-2B", "--model-key",
              "base-2b"});
  const std::string video = server_.dir() + "/robot.mp4";
  RunOutput inferred = server_.Cli(
      {"infer", "--network-arch", "cosmos-predict2.5", "--text",
       "a robot stacking cubes", "--accept-defaults", "--output", video});
  EXPECT_EQ(inferred.exit_code, kOk) << inferred.err;
  EXPECT_THAT(inferred.out, HasSubstr(video));
  std::string bytes = ReadFileOrEmpty(video);
  ASSERT_GT(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(4, 4), "ftyp");
}

TEST_F(CliTest, AmbiguousTargetListsCandidates) {
  const std::string a =
      StartReady({"--network-arch", "cosmos-rl", "--model-path", "/models/a"});
  const std::string b =
      StartReady({"--network-arch", "cosmos-rl", "--model-path", "/models/b"});
  RunOutput refused =
      server_.Cli({"infer", "--network-arch", "cosmos-rl", "--text", "hi",
                   "--image", png_, "--accept-defaults"});
  EXPECT_EQ(refused.exit_code, kTarget);
  EXPECT_THAT(refused.out + refused.err, AllOf(HasSubstr(a), HasSubstr(b)));

  RunOutput as_json =
      server_.Cli({"infer", "--network-arch", "cosmos-rl", "--text", "hi",
                   "--image", png_, "--accept-defaults", "--json"});
  EXPECT_EQ(as_json.exit_code, kTarget);
  EXPECT_THAT(as_json.out, AllOf(HasSubstr(a), HasSubstr(b)));
  EXPECT_FALSE(
      nlohmann::json::parse(as_json.out, nullptr, false).is_discarded());
}

TEST_F(CliTest, ExitCodesForFailures) {
  RunOutput missing = server_.Cli({"get", "no-such-job"});
  EXPECT_EQ(missing.exit_code, kTarget);
  EXPECT_THAT(missing.err, HasSubstr("no-such-job"));

  RunOutput bad_flag = server_.Cli({"list", "--no-such-flag"});
  EXPECT_EQ(bad_flag.exit_code, kUsage);

  RunOutput bad_arch =
      server_.Cli({"start", "--platform", "test", "--network-arch", "nope",
                   "--model-path", "/models/a"});
  EXPECT_EQ(bad_arch.exit_code, kUsage);
  EXPECT_THAT(bad_arch.err, HasSubstr("network_arch"));

  RunOutput started =
      server_.Cli({"start", "--platform", "test", "--network-arch", "cosmos-rl",
                   "--model-path", "/models/x+fail-load", "--json"});
  ASSERT_EQ(started.exit_code, kOk) << started.err;
  std::string job_id = StdoutJson(started)["service"].value("job_id", "");
  RunOutput failed = server_.Cli({"wait", job_id});
  EXPECT_EQ(failed.exit_code, kServiceFailed) << failed.out << failed.err;
  EXPECT_THAT(failed.out + failed.err, HasSubstr("model_load_error"));

  // --server may stand before the subcommand; nobody listens on port 1.
  absl::StatusOr<RunOutput> unreachable =
      RunChild({TAO_INFER_CLI_PATH, "--server", "127.0.0.1:1", "list"}, {}, "",
               absl::Seconds(60));
  ASSERT_TRUE(unreachable.ok());
  EXPECT_EQ(unreachable->exit_code, kUnreachable) << unreachable->err;
  EXPECT_THAT(unreachable->err, HasSubstr("127.0.0.1:1"));
}

}  // namespace
}  // namespace tao::integration
