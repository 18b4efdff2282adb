#include "tests/fakes/reference_backend_args.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::fakes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char kJob[] =
    R"({"job_id":"j-1","specs":{"model_path":"hf_model://nvidia/R+load-ms-5"},"neural_network_name":"cosmos-rl"})";

struct ArgsCase {
  std::string name;
  std::vector<std::string> argv;
  Arch arch;
  int port;
  std::string model_path;
};

void PrintTo(const ArgsCase& c, std::ostream* os) { *os << c.name; }

class ArgsTest : public ::testing::TestWithParam<ArgsCase> {};

TEST_P(ArgsTest, Parses) {
  const ArgsCase& c = GetParam();
  absl::StatusOr<LaunchConfig> config = ParseLaunchArgs(c.argv);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->arch, c.arch);
  EXPECT_EQ(config->port, c.port);
  EXPECT_EQ(config->model_path, c.model_path);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ArgsTest,
    ::testing::Values(
        ArgsCase{"CosmosRlEntryPoint",
                 {"/x/bin/cosmos-rl-inference-microservice", "--job", kJob,
                  "--docker_env_vars", R"({"CLOUD_BASED":"False"})"},
                 Arch::kCosmosRl,
                 8080,
                 "hf_model://nvidia/R+load-ms-5"},
        ArgsCase{
            "CosmosRlWithPortAndEquals",
            {"cosmos-rl-inference-microservice", std::string("--job=") + kJob,
             "--port", "8123", "--disable_auto_deletion"},
            Arch::kCosmosRl,
            8123,
            "hf_model://nvidia/R+load-ms-5"},
        ArgsCase{"PredictEntryPointCheckpoint",
                 {"cosmos_predict", "inference_microservice", "start",
                  "--checkpoint-path", "/ckpt/a", "--output-dir", "/tmp/out",
                  "--port", "8080"},
                 Arch::kCosmosPredict,
                 8080,
                 "/ckpt/a"},
        ArgsCase{
            "PredictEntryPointModelKeyAndOptions",
            {"cosmos_predict", "inference_microservice", "start", "--model",
             "base-2b", "--output-dir", "/tmp/out", "--port", "8090",
             "--disable-guardrails", "--idle-timeout-minutes", "1.5"},
            Arch::kCosmosPredict,
            8090,
            "base-2b"},
        ArgsCase{"DirectModePredict",
                 {"reference_backend", "--arch", "cosmos-predict2.5", "--host",
                  "127.0.0.1", "--model", "base-2b", "--output-dir", "/o",
                  "--port", "0"},
                 Arch::kCosmosPredict,
                 0,
                 "base-2b"},
        ArgsCase{"DirectModeCosmosRl",
                 {"reference_backend", "--arch=cosmos-rl", "--job", kJob},
                 Arch::kCosmosRl,
                 8080,
                 "hf_model://nvidia/R+load-ms-5"}),
    [](const auto& info) { return info.param.name; });

TEST(ArgsTest, KeepsJobAndEnvNames) {
  absl::StatusOr<LaunchConfig> config = ParseLaunchArgs(
      {"cosmos-rl-inference-microservice", "--job", kJob, "--docker_env_vars",
       R"({"TAO_API_JOB_ID":"j-1","CLOUD_BASED":"False"})"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->job_id, "j-1");
  EXPECT_THAT(config->docker_env_var_names,
              ElementsAre("CLOUD_BASED", "TAO_API_JOB_ID"));
  EXPECT_EQ(config->knobs.load_time, absl::Milliseconds(5));
  EXPECT_EQ(config->host, "0.0.0.0");
}

struct BadArgsCase {
  std::string name;
  std::vector<std::string> argv;
  std::string error;
};

void PrintTo(const BadArgsCase& c, std::ostream* os) { *os << c.name; }

class BadArgsTest : public ::testing::TestWithParam<BadArgsCase> {};

TEST_P(BadArgsTest, IsRefused) {
  absl::StatusOr<LaunchConfig> config = ParseLaunchArgs(GetParam().argv);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr(GetParam().error));
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadArgsTest,
    ::testing::Values(
        BadArgsCase{"CosmosRlWithoutJob",
                    {"cosmos-rl-inference-microservice"},
                    "required: --job"},
        BadArgsCase{"CosmosRlJobNotJson",
                    {"cosmos-rl-inference-microservice", "--job", "{x"},
                    "not a JSON object"},
        BadArgsCase{
            "CosmosRlJobWithoutModelPath",
            {"cosmos-rl-inference-microservice", "--job",
             R"({"job_id":"j","specs":{},"neural_network_name":"cosmos-rl"})"},
            "specs.model_path"},
        BadArgsCase{"CosmosRlUnknownFlag",
                    {"cosmos-rl-inference-microservice", "--job", kJob,
                     "--results_dir", "/r"},
                    "unrecognized arguments: --results_dir"},
        BadArgsCase{"CosmosRlBadPort",
                    {"cosmos-rl-inference-microservice", "--job", kJob,
                     "--port", "http"},
                    "--port"},
        BadArgsCase{"PredictRejectsJob",
                    {"cosmos_predict", "inference_microservice", "start",
                     "--model", "k", "--output-dir", "/o", "--job", kJob},
                    "unrecognized arguments: --job"},
        BadArgsCase{"PredictRejectsHost",
                    {"cosmos_predict", "inference_microservice", "start",
                     "--model", "k", "--output-dir", "/o", "--host", "h"},
                    "unrecognized arguments: --host"},
        BadArgsCase{"PredictNeedsSubcommand",
                    {"cosmos_predict", "--model", "k", "--output-dir", "/o"},
                    "inference_microservice start"},
        BadArgsCase{
            "PredictNeedsOneModel",
            {"cosmos_predict", "inference_microservice", "start", "--model",
             "k", "--checkpoint-path", "/c", "--output-dir", "/o"},
            "exactly one of"},
        BadArgsCase{"PredictNeedsOutputDir",
                    {"cosmos_predict", "inference_microservice", "start",
                     "--model", "k"},
                    "--output-dir"},
        BadArgsCase{"DirectModeUnknownArch",
                    {"reference_backend", "--arch", "tao-dataservices"},
                    "--arch"},
        BadArgsCase{"BadKnob",
                    {"reference_backend", "--arch", "cosmos-predict2.5",
                     "--model", "k+load-ms-x", "--output-dir", "/o"},
                    "load-ms-"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace tao::fakes
