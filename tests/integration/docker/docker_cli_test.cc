// local-docker end to end through the tao-infer binary: what a user types
// against the real tao-inferd and a real Docker engine, and the exit codes
// scripts rely on (docs/cli.md).
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/docker/docker_e2e_fixture.h"

namespace tao::integration::docker {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr int kOk = 0;
constexpr int kTarget = 3;

class DockerCliTest : public DockerE2eTest {
 protected:
  void SetUp() override {
    DockerE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    png_ = server_.dir() + "/picture.png";
    std::ofstream(png_, std::ios::binary) << TinyPng();
  }

  // `tao-infer start --platform local-docker ARGS --json`; the job id.
  std::string CliStart(const std::vector<std::string>& start_args) {
    std::vector<std::string> args = {"start", "--platform", "local-docker"};
    args.insert(args.end(), start_args.begin(), start_args.end());
    args.push_back("--json");
    RunOutput started = Cli(args);
    EXPECT_EQ(started.exit_code, kOk) << started.err << "\n" << server_.Log();
    if (started.exit_code != kOk) return "";
    return StdoutJson(started)["service"].value("job_id", "");
  }

  std::string png_;
};

TEST_F(DockerCliTest, StartWaitInferListStop) {
  const std::string job_id =
      CliStart({"--network-arch", "cosmos-rl", "--model-path",
                "/models/cosmos-reason1+load-ms-3000"});
  ASSERT_FALSE(job_id.empty());
  EXPECT_TRUE(engine_->InspectContainer(job_id).ok())
      << "no container named " << job_id;

  // Visible progress: one line per state, ending READY.
  RunOutput waited = Cli({"wait", job_id, "--timeout", "90"});
  ASSERT_EQ(waited.exit_code, kOk) << waited.out << waited.err;
  const std::string progress = waited.out + waited.err;
  EXPECT_THAT(progress, AllOf(HasSubstr("LOADING"), HasSubstr("READY")));
  EXPECT_LT(progress.find("LOADING"), progress.find("READY")) << progress;

  RunOutput inferred =
      Cli({"infer", "--job-id", job_id, "--text", "What is in this picture?",
           "--image", png_, "--accept-defaults"});
  EXPECT_EQ(inferred.exit_code, kOk) << inferred.err;
  EXPECT_THAT(inferred.out, HasSubstr("What is in this picture?"));

  RunOutput by_arch =
      Cli({"infer", "--network-arch", "cosmos-rl", "--text", "And now?",
           "--image", png_, "--accept-defaults", "--json"});
  EXPECT_EQ(by_arch.exit_code, kOk) << by_arch.err;
  EXPECT_EQ(StdoutJson(by_arch).value("job_id", ""), job_id) << by_arch.out;

  RunOutput listed = Cli({"list", "--json"});
  ASSERT_EQ(listed.exit_code, kOk) << listed.err;
  nlohmann::json list = StdoutJson(listed);
  ASSERT_EQ(list["services"].size(), 1u) << listed.out;
  const nlohmann::json& service = list["services"][0];
  EXPECT_EQ(service["job_id"], job_id);
  EXPECT_EQ(service["platform"], "local-docker");
  EXPECT_EQ(service["network_arch"], "cosmos-rl");
  EXPECT_EQ(service["host_url"],
            absl::StrCat("http://localhost:", server_.first_service_port()));
  EXPECT_EQ(list["latest_job_id"], job_id);

  RunOutput stopped = Cli({"stop", "--yes"});
  EXPECT_EQ(stopped.exit_code, kOk) << stopped.err;
  EXPECT_TRUE(absl::IsNotFound(engine_->InspectContainer(job_id).status()))
      << "the container is still there after stop";
  EXPECT_EQ(ReadRegistryFile(), nlohmann::ordered_json::object());
  RunOutput empty = Cli({"list", "--json"});
  EXPECT_EQ(empty.exit_code, kOk);
  EXPECT_TRUE(
      StdoutJson(empty).value("services", nlohmann::json::array()).empty())
      << empty.out;
}

TEST_F(DockerCliTest, AmbiguousTargetExitsThreeAndVideoIsSaved) {
  const std::string rl = CliStart(
      {"--network-arch", "cosmos-rl", "--model-path", "/models/rl", "--wait"});
  const std::string predict =
      CliStart({"--network-arch", "cosmos-predict2.5", "--model-path",
                "hf_model://nvidia/Cosmos-Predict2.5-2B", "--model-key",
                "base-2b", "--wait"});
  ASSERT_FALSE(rl.empty() || predict.empty());

  // Neither --job-id nor --network-arch, two services: exit 3, both listed.
  RunOutput refused = Cli({"infer", "--text", "hi", "--accept-defaults"});
  EXPECT_EQ(refused.exit_code, kTarget) << refused.out << refused.err;
  EXPECT_THAT(refused.out + refused.err,
              AllOf(HasSubstr(rl), HasSubstr(predict)));
  RunOutput as_json =
      Cli({"infer", "--text", "hi", "--accept-defaults", "--json"});
  EXPECT_EQ(as_json.exit_code, kTarget);
  const nlohmann::json refusal = StdoutJson(as_json);
  std::vector<std::string> candidates;
  for (const nlohmann::json& c : refusal["error"]["details"]["candidates"]) {
    candidates.push_back(c.value("job_id", ""));
  }
  EXPECT_THAT(candidates, UnorderedElementsAre(rl, predict)) << as_json.out;

  // By architecture the video service answers with an MP4 file.
  const std::string video = server_.dir() + "/robot.mp4";
  RunOutput inferred =
      Cli({"infer", "--network-arch", "cosmos-predict2.5", "--text",
           "a robot stacking cubes", "--accept-defaults", "--output", video});
  EXPECT_EQ(inferred.exit_code, kOk) << inferred.err;
  EXPECT_THAT(inferred.out, HasSubstr(video));
  const std::string bytes = ReadFileOrEmpty(video);
  ASSERT_GT(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(4, 4), "ftyp");

  for (const std::string& id : {rl, predict}) {
    RunOutput stopped = Cli({"stop", id, "--yes"});
    EXPECT_EQ(stopped.exit_code, kOk) << stopped.err;
    EXPECT_TRUE(absl::IsNotFound(engine_->InspectContainer(id).status()));
  }
}

}  // namespace
}  // namespace tao::integration::docker
