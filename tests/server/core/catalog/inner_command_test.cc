// Byte-exact inner commands (spec §5.2, §5.3). Expected cosmos-rl strings
// come from CPython: "umask 0 && cosmos-rl-inference-microservice --job " +
// shlex.quote(json.dumps(job, separators=(",", ":"))) + " --docker_env_vars "
// + shlex.quote(json.dumps(env, separators=(",", ":"))).
#include <stdio.h>
#include <sys/wait.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/common/shell_quote.h"
#include "server/core/catalog/catalog.h"
#include "server/core/common/errors.h"
#include "tests/server/core/catalog/config_dir.h"

namespace tao::catalog {
namespace {

using ::testing::HasSubstr;

constexpr char kJobId[] = "afacee21-2666-481d-b008-c83df2d6fd7f";

class CatalogInnerCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Catalog>> catalog =
        Catalog::Create(testing::OptionsFor(testing::RealConfigDir()));
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
  }

  CommandInputs Inputs(const std::string& arch, const std::string& model_path,
                       const std::string& model_key = "",
                       const std::string& backend = "local-docker") {
    return CommandInputs{arch,
                         kJobId,
                         model_path,
                         model_key,
                         catalog_->MakeEnvPayload(arch, backend, kJobId),
                         8080};
  }

  std::unique_ptr<Catalog> catalog_;
};

struct CommandCase {
  std::string name;
  std::string arch;
  std::string model_path;
  std::string model_key;
  int port;
  std::string expected;
};

void PrintTo(const CommandCase& c, std::ostream* os) { *os << c.name; }

class CatalogExactCommandTest
    : public CatalogInnerCommandTest,
      public ::testing::WithParamInterface<CommandCase> {};

TEST_P(CatalogExactCommandTest, IsByteExact) {
  const CommandCase& c = GetParam();
  CommandInputs inputs = Inputs(c.arch, c.model_path, c.model_key);
  inputs.container_port = c.port;
  absl::StatusOr<std::string> command = catalog_->InnerCommand(inputs);
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(*command, c.expected);
}

const char kRlEnv[] =
    R"('{"TAO_EXECUTION_BACKEND":"local-docker","TAO_API_JOB_ID":"afacee21-2666-481d-b008-c83df2d6fd7f","CLOUD_BASED":"False"}')";

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogExactCommandTest,
    ::testing::Values(
        CommandCase{
            "RlHuggingFace", "cosmos-rl", "hf_model://nvidia/Cosmos-Reason1-7B",
            "", 8080,
            absl::StrCat(
                "umask 0 && cosmos-rl-inference-microservice --job ",
                R"('{"job_id":"afacee21-2666-481d-b008-c83df2d6fd7f","specs":{"model_path":"hf_model://nvidia/Cosmos-Reason1-7B"},"neural_network_name":"cosmos-rl"}')",
                " --docker_env_vars ", kRlEnv)},
        CommandCase{
            "RlPathWithSpacesAndQuotes", "cosmos-rl",
            "/models/my ckpt/it's \"v1\"", "", 8080,
            absl::StrCat(
                "umask 0 && cosmos-rl-inference-microservice --job ",
                R"('{"job_id":"afacee21-2666-481d-b008-c83df2d6fd7f","specs":{"model_path":"/models/my ckpt/it'"'"'s \"v1\""},"neural_network_name":"cosmos-rl"}')",
                " --docker_env_vars ", kRlEnv)},
        CommandCase{
            "RlUnicodePath", "cosmos-rl",
            "/models/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac/\xf0\x9f\x98\x80", "",
            8080,
            absl::StrCat(
                "umask 0 && cosmos-rl-inference-microservice --job ",
                R"('{"job_id":"afacee21-2666-481d-b008-c83df2d6fd7f","specs":{"model_path":"/models/caf\u00e9/\u65e5\u672c/\ud83d\ude00"},"neural_network_name":"cosmos-rl"}')",
                " --docker_env_vars ", kRlEnv)},
        CommandCase{
            "RlShellCharacters", "cosmos-rl", "/m/a\\b$x`y", "", 8080,
            absl::StrCat(
                "umask 0 && cosmos-rl-inference-microservice --job ",
                R"('{"job_id":"afacee21-2666-481d-b008-c83df2d6fd7f","specs":{"model_path":"/m/a\\b$x`y"},"neural_network_name":"cosmos-rl"}')",
                " --docker_env_vars ", kRlEnv)},
        CommandCase{
            "RlOtherPort", "cosmos-rl", "/ckpt", "", 8081,
            absl::StrCat(
                "umask 0 && cosmos-rl-inference-microservice --job ",
                R"('{"job_id":"afacee21-2666-481d-b008-c83df2d6fd7f","specs":{"model_path":"/ckpt"},"neural_network_name":"cosmos-rl"}')",
                " --docker_env_vars ", kRlEnv, " --port 8081")},
        CommandCase{"PredictHuggingFace", "cosmos-predict2.5",
                    "hf_model://nvidia/Cosmos-Predict2.5-2B", "base-2b", 8080,
                    "umask 0 && cosmos_predict inference_microservice start "
                    "--model 'base-2b' --output-dir "
                    "'/tmp/cosmos-predict2.5-output' --port 8080"},
        CommandCase{"PredictAbsolutePath", "cosmos-predict2.5",
                    "/models/predict/2B", "", 8080,
                    "umask 0 && cosmos_predict inference_microservice start "
                    "--checkpoint-path '/models/predict/2B' --output-dir "
                    "'/tmp/cosmos-predict2.5-output' --port 8080"},
        CommandCase{"PredictPathWithSpacesAndQuotes", "cosmos-predict2.5",
                    "/models/my ckpt/it's \"v1\"", "", 8080,
                    "umask 0 && cosmos_predict inference_microservice start "
                    "--checkpoint-path '/models/my ckpt/it'\"'\"'s \"v1\"' "
                    "--output-dir '/tmp/cosmos-predict2.5-output' --port "
                    "8080"},
        CommandCase{"PredictOtherPort", "cosmos-predict2.5",
                    "hf_model://nvidia/Cosmos-Predict2.5-14B", "base-14b", 9123,
                    "umask 0 && cosmos_predict inference_microservice start "
                    "--model 'base-14b' --output-dir "
                    "'/tmp/cosmos-predict2.5-output' --port 9123"}),
    [](const ::testing::TestParamInfo<CommandCase>& info) {
      return info.param.name;
    });

TEST_F(CatalogInnerCommandTest, ExtraEnvFollowsThePayloadInOrder) {
  CommandInputs inputs = Inputs("cosmos-rl", "/ckpt", "", "slurm");
  inputs.env_payload.push_back({"WANDB_PROJECT", "demo\xc3\xa9 it's"});
  absl::StatusOr<std::string> command = catalog_->InnerCommand(inputs);
  ASSERT_TRUE(command.ok()) << command.status();
  EXPECT_EQ(
      *command,
      absl::StrCat(
          "umask 0 && cosmos-rl-inference-microservice --job ",
          R"('{"job_id":"afacee21-2666-481d-b008-c83df2d6fd7f","specs":{"model_path":"/ckpt"},"neural_network_name":"cosmos-rl"}')",
          " --docker_env_vars ",
          R"('{"TAO_EXECUTION_BACKEND":"slurm","TAO_API_JOB_ID":"afacee21-2666-481d-b008-c83df2d6fd7f","CLOUD_BASED":"False","WANDB_PROJECT":"demo\u00e9 it'"'"'s"}')"));
}

struct RefusalCase {
  std::string name;
  std::string arch;
  std::string model_path;
  std::string model_key;
  std::string field;
  std::string says;
};

void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

class CatalogRefusalTest : public CatalogInnerCommandTest,
                           public ::testing::WithParamInterface<RefusalCase> {};

TEST_P(CatalogRefusalTest, ValidateAndCommandRefuse) {
  const RefusalCase& c = GetParam();
  absl::Status status =
      catalog_->ValidateModelPath(c.arch, c.model_path, c.model_key);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr(c.says));
  std::optional<inference::v1::ErrorDetails> details = core::GetDetails(status);
  ASSERT_TRUE(details.has_value()) << status;
  ASSERT_EQ(details->field_violations_size(), 1);
  EXPECT_EQ(details->field_violations(0).field(), c.field);

  absl::StatusOr<std::string> command =
      catalog_->InnerCommand(Inputs(c.arch, c.model_path, c.model_key));
  EXPECT_EQ(command.status(), status);
}

constexpr char kUnsupported[] = "Unsupported model_path scheme for ";

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogRefusalTest,
    ::testing::Values(
        RefusalCase{"RlS3", "cosmos-rl", "s3://bucket/model", "", "model_path",
                    "s3:// is cloud storage"},
        RefusalCase{"RlGs", "cosmos-rl", "gs://bucket/model", "", "model_path",
                    "gs:// is cloud storage"},
        RefusalCase{"RlAz", "cosmos-rl", "az://container/model", "",
                    "model_path", "az:// is cloud storage"},
        RefusalCase{"RlCs", "cosmos-rl", "cs://bucket/model", "", "model_path",
                    "cs:// is cloud storage"},
        RefusalCase{"RlAws", "cosmos-rl", "aws://bucket/model", "",
                    "model_path", "aws:// is cloud storage"},
        RefusalCase{"RlHttp", "cosmos-rl", "http://host/model", "",
                    "model_path", "http:// URLs"},
        RefusalCase{"RlHttps", "cosmos-rl", "https://host/model", "",
                    "model_path", "hf_model://<org>/<name>"},
        RefusalCase{"RlHf", "cosmos-rl", "hf://nvidia/model", "", "model_path",
                    "hf:// is not recognized"},
        RefusalCase{"RlRelative", "cosmos-rl", "models/ckpt", "", "model_path",
                    "relative path"},
        RefusalCase{"RlEmpty", "cosmos-rl", "", "", "model_path", "required"},
        RefusalCase{"RlNoRepoName", "cosmos-rl", "hf_model://nvidia", "",
                    "model_path", "<org>/<name>"},
        RefusalCase{"RlEmptyRepo", "cosmos-rl", "hf_model://", "", "model_path",
                    "<org>/<name>"},
        RefusalCase{"RlRepoTooDeep", "cosmos-rl", "hf_model://a/b/c", "",
                    "model_path", "<org>/<name>"},
        RefusalCase{"RlNewline", "cosmos-rl", "/ckpt\nrm -rf /", "",
                    "model_path", "control characters"},
        RefusalCase{"RlModelKey", "cosmos-rl", "hf_model://nvidia/m", "base-2b",
                    "model_key", "only for cosmos-predict2.5"},
        RefusalCase{"PredictS3", "cosmos-predict2.5", "s3://bucket/m",
                    "base-2b", "model_path",
                    "Unsupported model_path scheme for cosmos-predict2.5"},
        RefusalCase{"PredictHttps", "cosmos-predict2.5", "https://h/m", "",
                    "model_path", kUnsupported},
        RefusalCase{"PredictRelative", "cosmos-predict2.5", "ckpt", "",
                    "model_path", kUnsupported},
        RefusalCase{"PredictMissingKey", "cosmos-predict2.5",
                    "hf_model://nvidia/Cosmos-Predict2.5-2B", "", "model_key",
                    "base-2b, base-14b, auto-multiview"},
        RefusalCase{"PredictKeyWithPath", "cosmos-predict2.5", "/ckpt",
                    "base-2b", "model_key", "not used with an absolute"},
        RefusalCase{"PredictKeyWithSpace", "cosmos-predict2.5",
                    "hf_model://nvidia/m", "base 2b", "model_key",
                    "without spaces"},
        RefusalCase{"UnknownArch", "tao-dataservices", "/ckpt", "",
                    "network_arch", "cosmos-predict2.5, cosmos-rl"}),
    [](const ::testing::TestParamInfo<RefusalCase>& info) {
      return info.param.name;
    });

TEST_F(CatalogInnerCommandTest, RefusesSecretsInTheEnvPayload) {
  CommandInputs inputs = Inputs("cosmos-rl", "/ckpt");
  inputs.env_payload.push_back({"HF_TOKEN", "hf_secret_value"});
  absl::StatusOr<std::string> command = catalog_->InnerCommand(inputs);
  EXPECT_EQ(command.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(command.status().message()),
              HasSubstr("env.HF_TOKEN"));
  EXPECT_THAT(std::string(command.status().message()),
              ::testing::Not(HasSubstr("hf_secret_value")));
}

TEST_F(CatalogInnerCommandTest, RefusesDuplicateEnvNames) {
  CommandInputs inputs = Inputs("cosmos-rl", "/ckpt");
  inputs.env_payload.push_back({"CLOUD_BASED", "True"});
  EXPECT_THAT(std::string(catalog_->InnerCommand(inputs).status().message()),
              HasSubstr("env.CLOUD_BASED: appears twice"));
}

TEST_F(CatalogInnerCommandTest, RefusesBadPortAndMissingJobId) {
  CommandInputs inputs = Inputs("cosmos-predict2.5", "/ckpt");
  inputs.container_port = 0;
  EXPECT_THAT(std::string(catalog_->InnerCommand(inputs).status().message()),
              HasSubstr("container_port"));
  inputs.container_port = 65536;
  EXPECT_THAT(std::string(catalog_->InnerCommand(inputs).status().message()),
              HasSubstr("container_port"));
  inputs.container_port = 8080;
  inputs.job_id.clear();
  EXPECT_THAT(std::string(catalog_->InnerCommand(inputs).status().message()),
              HasSubstr("job_id"));
}

TEST_F(CatalogInnerCommandTest, RefusesInvalidUtf8InEnvValues) {
  CommandInputs inputs = Inputs("cosmos-rl", "/ckpt");
  inputs.env_payload.push_back({"WANDB_PROJECT", "\xff"});
  absl::StatusOr<std::string> command = catalog_->InnerCommand(inputs);
  EXPECT_EQ(command.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(command.status().message()),
              HasSubstr("WANDB_PROJECT"));
}

// Runs `command` under bash with the executable replaced by a function that
// prints its arguments NUL-separated: what the container's program receives.
std::vector<std::string> ArgumentsUnderBash(const std::string& executable,
                                            const std::string& command) {
  const std::string script =
      absl::StrCat(executable, "() { printf '%s\\0' \"$@\"; }; ", command);
  const std::string shell =
      absl::StrCat("bash -c ", platforms::ShellQuote(script), " 2>&1");
  FILE* pipe = popen(shell.c_str(), "r");
  if (pipe == nullptr) return {"popen failed"};
  std::string output;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output.append(buffer, n);
  }
  const int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return {absl::StrCat("bash failed: ", output)};
  }
  std::vector<std::string> args = absl::StrSplit(output, '\0');
  if (!args.empty() && args.back().empty()) args.pop_back();
  return args;
}

TEST_F(CatalogInnerCommandTest,
       BashHandsTheContainerExactlyTheIntendedArguments) {
  const std::string nasty = "/m/it's \"q\" $HOME `id` \\ \xc3\xa9 ;|&";
  absl::StatusOr<std::string> rl =
      catalog_->InnerCommand(Inputs("cosmos-rl", nasty));
  ASSERT_TRUE(rl.ok()) << rl.status();
  std::vector<std::string> args =
      ArgumentsUnderBash("cosmos-rl-inference-microservice", *rl);
  ASSERT_EQ(args.size(), 4u) << args[0];
  EXPECT_EQ(args[0], "--job");
  EXPECT_EQ(
      args[1],
      absl::StrCat(
          R"({"job_id":")", kJobId,
          R"(","specs":{"model_path":"/m/it's \"q\" $HOME `id` \\ \u00e9 ;|&"},"neural_network_name":"cosmos-rl"})"));
  EXPECT_EQ(args[2], "--docker_env_vars");

  absl::StatusOr<std::string> predict =
      catalog_->InnerCommand(Inputs("cosmos-predict2.5", nasty));
  ASSERT_TRUE(predict.ok()) << predict.status();
  EXPECT_THAT(ArgumentsUnderBash("cosmos_predict", *predict),
              ::testing::ElementsAre("inference_microservice", "start",
                                     "--checkpoint-path", nasty, "--output-dir",
                                     "/tmp/cosmos-predict2.5-output", "--port",
                                     "8080"));
}

}  // namespace
}  // namespace tao::catalog
