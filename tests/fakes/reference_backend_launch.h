// What the reference test backend was started with (argv, environment,
// working directory, pid), served at /_reference/launch and written to
// reference_backend_launch.json so tests can check the exact inner command
// and that secrets arrived as environment variables.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_LAUNCH_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_LAUNCH_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/reference_backend_args.h"

namespace tao::fakes {

inline constexpr char kLaunchFileName[] = "reference_backend_launch.json";

// {argv:[...], env:{NAME:VALUE}, cwd, pid, port, arch, model_path}.
// `environment` is a NULL-terminated NAME=VALUE array (environ).
nlohmann::json CollectLaunchInfo(const std::vector<std::string>& argv,
                                 char** environment, const LaunchConfig& config,
                                 int port);

// The environment variable names, sorted (values are never printed).
std::vector<std::string> EnvironmentNames(char** environment);

// Writes `info` to `path` (mode 0600: it holds environment values) via a
// temporary file and rename, so readers never see half a file.
absl::Status WriteLaunchFile(const nlohmann::json& info,
                             const std::string& path);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_LAUNCH_H_
