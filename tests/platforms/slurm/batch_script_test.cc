#include "platforms/slurm/batch_script.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::slurm {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kJobId[] = "0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13";
constexpr char kJobDir[] =
    "/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13";
constexpr char kSecret[] = "hf_S3cr3tTokenValue";

// The inner commands of spec §5.2 / §5.3 for a given port, as the catalog
// renders them.
std::string CosmosRlInner(int port) {
  return absl::StrCat(
      "umask 0 && cosmos-rl-inference-microservice --job "
      "'{\"job_id\":\"0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13\",\"specs\":"
      "{\"model_path\":\"hf_model://nvidia/Cosmos-Reason1-7B\"},"
      "\"neural_network_name\":\"cosmos-rl\"}' --docker_env_vars "
      "'{\"CLOUD_BASED\":\"False\",\"TAO_API_JOB_ID\":"
      "\"0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13\",\"TAO_EXECUTION_BACKEND\":"
      "\"slurm\"}' --port ",
      port);
}

std::string CosmosPredictInner(int port) {
  return absl::StrCat(
      "umask 0 && cosmos_predict inference_microservice start --model "
      "'2B/post-trained' --output-dir '/tmp/cosmos-predict2.5-output' "
      "--port ",
      port);
}

BatchScriptInputs PyxisInputs() {
  BatchScriptInputs in;
  in.job_id = kJobId;
  in.server_instance = "login-1";
  in.num_gpus = 2;
  in.settings.partition = "polar";
  in.settings.account = "tao-dev";
  in.settings.time_limit = "04:00:00";
  in.settings.cpus_per_task = 16;
  in.settings.runtime = ContainerRuntime::kPyxis;
  in.settings.container_mounts = "/lustre:/lustre";
  in.job_dir = kJobDir;
  in.secret_names = {"HF_TOKEN"};
  return in;
}

// The Pyxis scripts, byte for byte, for both network architectures.
constexpr char kCosmosRlPyxisScript[] = R"SCRIPT(#!/bin/bash
#SBATCH --job-name=tao-0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13
#SBATCH --comment=tao-inference;server=login-1;arch=cosmos-rl
#SBATCH --partition=polar
#SBATCH --account=tao-dev
#SBATCH --time=04:00:00
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=16
#SBATCH --gres=gpu:2
#SBATCH --chdir=/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13
#SBATCH --output=/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/output.log
#SBATCH --error=/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/output.log
#SBATCH --open-mode=append
# tao-inference service 0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13 (cosmos-rl), container runtime pyxis.
# Secrets come from job.env (mode 600), never from this file.
set -u

env_file=/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/job.env
trap 'rm -f "$env_file"' EXIT
trap 'exit 143' TERM INT
if [ -f "$env_file" ]; then
  . "$env_file"
fi
rm -f "$env_file"

export CLOUD_BASED=False
export TAO_API_JOB_ID=0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13
export TAO_EXECUTION_BACKEND=slurm

# Services on one node share its network: take the first candidate
# port that no listener on this node holds and tell the driver.
port_in_use() {
  local hex f
  hex=$(printf ':%04X' "$1")
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' "$f" && return 0
  done
  return 1
}
port=
for candidate in 21001 24002 27003; do
  if ! port_in_use "$candidate"; then
    port=$candidate
    break
  fi
done
if [ -z "$port" ]; then
  echo "tao-inference: ports 21001 24002 27003 are all in use on $(hostname)" >&2
  exit 75
fi
echo "$port" > /home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/port.tmp && mv /home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/port.tmp /home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/port
echo "tao-inference: service port $port on $(hostname)"

case "$port" in
  21001) inner='umask 0 && cosmos-rl-inference-microservice --job '"'"'{"job_id":"0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13","specs":{"model_path":"hf_model://nvidia/Cosmos-Reason1-7B"},"neural_network_name":"cosmos-rl"}'"'"' --docker_env_vars '"'"'{"CLOUD_BASED":"False","TAO_API_JOB_ID":"0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13","TAO_EXECUTION_BACKEND":"slurm"}'"'"' --port 21001' ;;
  24002) inner='umask 0 && cosmos-rl-inference-microservice --job '"'"'{"job_id":"0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13","specs":{"model_path":"hf_model://nvidia/Cosmos-Reason1-7B"},"neural_network_name":"cosmos-rl"}'"'"' --docker_env_vars '"'"'{"CLOUD_BASED":"False","TAO_API_JOB_ID":"0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13","TAO_EXECUTION_BACKEND":"slurm"}'"'"' --port 24002' ;;
  27003) inner='umask 0 && cosmos-rl-inference-microservice --job '"'"'{"job_id":"0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13","specs":{"model_path":"hf_model://nvidia/Cosmos-Reason1-7B"},"neural_network_name":"cosmos-rl"}'"'"' --docker_env_vars '"'"'{"CLOUD_BASED":"False","TAO_API_JOB_ID":"0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13","TAO_EXECUTION_BACKEND":"slurm"}'"'"' --port 27003' ;;
esac

exec srun '--container-image=nvcr.io#nvidia/tao/tao-toolkit:7.0.0-cosmos-rl' --container-mounts=/lustre:/lustre /bin/bash -c "$inner"
)SCRIPT";

constexpr char kCosmosPredictPyxisScript[] = R"SCRIPT(#!/bin/bash
#SBATCH --job-name=tao-0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13
#SBATCH --comment=tao-inference;server=login-1;arch=cosmos-predict2.5
#SBATCH --partition=polar
#SBATCH --account=tao-dev
#SBATCH --time=04:00:00
#SBATCH --nodes=1
#SBATCH --ntasks-per-node=1
#SBATCH --cpus-per-task=16
#SBATCH --gres=gpu:1
#SBATCH --chdir=/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13
#SBATCH --output=/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/output.log
#SBATCH --error=/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/output.log
#SBATCH --open-mode=append
# tao-inference service 0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13 (cosmos-predict2.5), container runtime pyxis.
# Secrets come from job.env (mode 600), never from this file.
set -u

env_file=/home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/job.env
trap 'rm -f "$env_file"' EXIT
trap 'exit 143' TERM INT
if [ -f "$env_file" ]; then
  . "$env_file"
fi
rm -f "$env_file"

# Services on one node share its network: take the first candidate
# port that no listener on this node holds and tell the driver.
port_in_use() {
  local hex f
  hex=$(printf ':%04X' "$1")
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    awk -v p="$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' "$f" && return 0
  done
  return 1
}
port=
for candidate in 20555 29001; do
  if ! port_in_use "$candidate"; then
    port=$candidate
    break
  fi
done
if [ -z "$port" ]; then
  echo "tao-inference: ports 20555 29001 are all in use on $(hostname)" >&2
  exit 75
fi
echo "$port" > /home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/port.tmp && mv /home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/port.tmp /home/alice/.tao-inference/slurm/0f5c3e1a-9b7d-4c2e-8a61-2d4f6b8c0e13/port
echo "tao-inference: service port $port on $(hostname)"

case "$port" in
  20555) inner='umask 0 && cosmos_predict inference_microservice start --model '"'"'2B/post-trained'"'"' --output-dir '"'"'/tmp/cosmos-predict2.5-output'"'"' --port 20555' ;;
  29001) inner='umask 0 && cosmos_predict inference_microservice start --model '"'"'2B/post-trained'"'"' --output-dir '"'"'/tmp/cosmos-predict2.5-output'"'"' --port 29001' ;;
esac

exec srun '--container-image=nvcr.io#nvidia/tao/tao-toolkit:7.0.0-cosmos-predict' --container-mounts=/lustre:/lustre /bin/bash -c "$inner"
)SCRIPT";

TEST(BatchScriptTest, PyxisScriptForCosmosRlIsExact) {
  BatchScriptInputs in = PyxisInputs();
  in.network_arch = "cosmos-rl";
  in.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
  in.env = {{"CLOUD_BASED", "False"},
            {"TAO_API_JOB_ID", kJobId},
            {"TAO_EXECUTION_BACKEND", "slurm"}};
  for (int port : {21001, 24002, 27003}) {
    in.ports.push_back({port, CosmosRlInner(port)});
  }
  absl::StatusOr<std::string> script = BatchScript(in);
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_EQ(*script, kCosmosRlPyxisScript);
}

TEST(BatchScriptTest, PyxisScriptForCosmosPredictIsExact) {
  BatchScriptInputs in = PyxisInputs();
  in.network_arch = "cosmos-predict2.5";
  in.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-predict";
  in.num_gpus = 1;
  for (int port : {20555, 29001}) {
    in.ports.push_back({port, CosmosPredictInner(port)});
  }
  absl::StatusOr<std::string> script = BatchScript(in);
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_EQ(*script, kCosmosPredictPyxisScript);
}

// Secrets go to the env file only; the script names none of their values
// (docker passes them by name: -e HF_TOKEN).
TEST(BatchScriptTest, NoSecretValueInAnyRuntimeScript) {
  for (ContainerRuntime runtime :
       {ContainerRuntime::kPyxis, ContainerRuntime::kDocker,
        ContainerRuntime::kNone}) {
    BatchScriptInputs in = PyxisInputs();
    in.settings.runtime = runtime;
    in.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
    in.ports.push_back({21001, CosmosRlInner(21001)});
    absl::StatusOr<std::string> script = BatchScript(in);
    ASSERT_TRUE(script.ok()) << script.status();
    EXPECT_THAT(*script, Not(HasSubstr(kSecret))) << RuntimeName(runtime);
    EXPECT_THAT(*script, Not(HasSubstr("HF_TOKEN="))) << RuntimeName(runtime);
  }
  absl::StatusOr<std::string> env_file = SecretEnvFile({{"HF_TOKEN", kSecret}});
  ASSERT_TRUE(env_file.ok());
  EXPECT_THAT(*env_file, HasSubstr("export HF_TOKEN=hf_S3cr3tTokenValue\n"));
}

TEST(BatchScriptTest, SecretEnvFileQuotesValues) {
  absl::StatusOr<std::string> env_file =
      SecretEnvFile({{"A_TOKEN", "it's $x"}, {"B", ""}});
  ASSERT_TRUE(env_file.ok());
  EXPECT_THAT(*env_file, HasSubstr("export A_TOKEN='it'\"'\"'s $x'\n"));
  EXPECT_THAT(*env_file, HasSubstr("export B=''\n"));
}

TEST(BatchScriptTest, SecretNameMustBeIdentifierAndValueStaysOut) {
  absl::StatusOr<std::string> env_file = SecretEnvFile({{"BAD-NAME", kSecret}});
  ASSERT_EQ(env_file.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(env_file.status().message()), HasSubstr("BAD-NAME"));
  EXPECT_THAT(std::string(env_file.status().message()),
              Not(HasSubstr(kSecret)));
}

TEST(BatchScriptTest, DockerRunsOnHostNetworkWithEnvByName) {
  BatchScriptInputs in = PyxisInputs();
  in.settings.runtime = ContainerRuntime::kDocker;
  in.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
  in.env = {{"TAO_EXECUTION_BACKEND", "slurm"}};
  in.ports.push_back({21001, CosmosRlInner(21001)});
  absl::StatusOr<std::string> script = BatchScript(in);
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_THAT(*script,
              HasSubstr("docker run --rm --name \"$container\" --network host "
                        "--shm-size=8g --gpus \"$gpus\" -e "
                        "TAO_EXECUTION_BACKEND -e HF_TOKEN "
                        "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl "
                        "/bin/bash -c \"$inner\" &\n"));
  EXPECT_THAT(*script, HasSubstr("docker rm -f \"$container\""));
  EXPECT_THAT(*script, Not(HasSubstr("srun")));
}

TEST(BatchScriptTest, NoneRuntimeRunsInnerCommandWithPathPrepended) {
  BatchScriptInputs in = PyxisInputs();
  in.settings.runtime = ContainerRuntime::kNone;
  in.settings.path_prepend = "/opt/tao bin";
  in.ports.push_back({21001, CosmosRlInner(21001)});
  absl::StatusOr<std::string> script = BatchScript(in);
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_THAT(*script, HasSubstr("export PATH='/opt/tao bin':\"$PATH\"\n"));
  EXPECT_TRUE(absl::EndsWith(*script, "exec /bin/bash -c \"$inner\"\n"));
  EXPECT_THAT(*script, Not(HasSubstr("srun")));
  EXPECT_THAT(*script, Not(HasSubstr("docker run")));
}

TEST(BatchScriptTest, OptionalDirectivesAreLeftOutWhenUnset) {
  BatchScriptInputs in = PyxisInputs();
  in.settings.partition.clear();
  in.settings.account.clear();
  in.settings.request_gpus = false;  // gres "none"
  in.ports.push_back({21001, CosmosRlInner(21001)});
  absl::StatusOr<std::string> script = BatchScript(in);
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_THAT(*script, Not(HasSubstr("--partition")));
  EXPECT_THAT(*script, Not(HasSubstr("--account")));
  EXPECT_THAT(*script, Not(HasSubstr("--gres")));

  in.settings.request_gpus = true;
  in.num_gpus = 0;
  script = BatchScript(in);
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_THAT(*script, Not(HasSubstr("--gres")));
}

TEST(BatchScriptTest, RefusesBadInputs) {
  BatchScriptInputs in = PyxisInputs();
  EXPECT_EQ(BatchScript(in).status().code(),
            absl::StatusCode::kInvalidArgument);  // no port
  in.ports.push_back({21001, "true"});
  in.env = {{"1BAD", "x"}};
  EXPECT_EQ(BatchScript(in).status().code(),
            absl::StatusCode::kInvalidArgument);
  in.env.clear();
  in.job_dir = "/home/a b/job";
  EXPECT_EQ(BatchScript(in).status().code(),
            absl::StatusCode::kInvalidArgument);
  in.job_dir = "relative/job";
  EXPECT_EQ(BatchScript(in).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BatchScriptTest, JobFilesLiveInTheJobFolder) {
  JobFiles files = JobFilesIn("/w/j");
  EXPECT_EQ(files.script, "/w/j/job.sbatch");
  EXPECT_EQ(files.env, "/w/j/job.env");
  EXPECT_EQ(files.output, "/w/j/output.log");
  EXPECT_EQ(files.port, "/w/j/port");
  EXPECT_EQ(JobName("abc"), "tao-abc");
  EXPECT_EQ(JobIdOfName("tao-abc"), "abc");
  EXPECT_EQ(JobIdOfName("tao-"), std::nullopt);
  EXPECT_EQ(JobIdOfName("other-abc"), std::nullopt);
}

TEST(BatchScriptTest, JobCommentMarksTheServerAndReadsBack) {
  const std::string comment = JobComment("inferd on a|b;c", "cosmos-rl");
  EXPECT_EQ(comment, "tao-inference;server=inferd_on_a_b_c;arch=cosmos-rl");
  std::optional<JobMark> mark = ParseJobComment(comment);
  ASSERT_TRUE(mark.has_value());
  EXPECT_EQ(mark->server_instance, JobMarkValue("inferd on a|b;c"));
  EXPECT_EQ(mark->network_arch, "cosmos-rl");
  EXPECT_EQ(ParseJobComment(""), std::nullopt);
  EXPECT_EQ(ParseJobComment("someone else's job"), std::nullopt);
  EXPECT_EQ(ParseJobComment("tao-inference;arch=x;server=y"), std::nullopt);
}

}  // namespace
}  // namespace tao::platforms::slurm
