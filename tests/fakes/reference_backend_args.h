// Command lines of the reference test backend. It answers to the inner
// commands of spec §5.2/§5.3, unmodified, under the entry-point names
//   cosmos-rl-inference-microservice --job J --docker_env_vars E [--port N]
//   cosmos_predict inference_microservice start (--checkpoint-path P |
//       --model K) --output-dir D [--port N] [optional flags]
// and as `reference_backend --arch cosmos-rl|cosmos-predict2.5 [--host H]`
// followed by the same flags.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_ARGS_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_ARGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/reference_backend_knobs.h"

namespace tao::fakes {

enum class Arch { kCosmosRl, kCosmosPredict };

// "cosmos-rl" or "cosmos-predict2.5".
const char* ArchName(Arch arch);

struct LaunchConfig {
  Arch arch = Arch::kCosmosRl;
  std::string host = "0.0.0.0";
  int port = 8080;  // 0: any free port (reported in the launch file)
  // specs.model_path of --job, --checkpoint-path or --model, as given
  // (knobs included); it is also the "model" of chat answers.
  std::string model_path;
  std::string job_id;  // cosmos-rl: --job's job_id
  nlohmann::json job;  // cosmos-rl: --job parsed
  // cosmos-rl: the names in --docker_env_vars (values are never shown).
  std::vector<std::string> docker_env_var_names;
  std::string output_dir;  // cosmos-predict2.5
  Knobs knobs;
};

// Parses `argv` (argv[0] included). Errors: INVALID_ARGUMENT with the text
// an argparse/tyro program would print before exiting with code 2.
absl::StatusOr<LaunchConfig> ParseLaunchArgs(
    const std::vector<std::string>& argv);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_ARGS_H_
