// reference_backend: a TEST backend, not a model. It speaks the inference
// container's HTTP contract (spec §7-9) so the control plane can be tested
// end to end; see tests/fakes/README.md.
#include <httplib.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_join.h"
#include "tests/fakes/reference_backend_args.h"
#include "tests/fakes/reference_backend_launch.h"
#include "tests/fakes/reference_backend_lifecycle.h"
#include "tests/fakes/reference_backend_routes.h"
#include "tests/fakes/reference_backend_state.h"

extern char** environ;

namespace {

// Enough workers for pooled keep-alive client connections plus requests
// that tests delay on purpose.
constexpr size_t kWorkerThreads = 64;

// Mirrors the real servers, which print their arguments at start-up; the
// values of --docker_env_vars stay hidden.
void PrintStartup(const tao::fakes::LaunchConfig& config, int port) {
  std::printf(
      "reference backend (a test backend, not a model) for %s listening on "
      "%s:%d, model %s\n",
      tao::fakes::ArchName(config.arch), config.host.c_str(), port,
      config.model_path.c_str());
  if (!config.job.is_null())
    std::printf("job: %s\n", config.job.dump().c_str());
  if (!config.docker_env_var_names.empty()) {
    std::printf("docker_env_vars names: %s\n",
                absl::StrJoin(config.docker_env_var_names, ", ").c_str());
  }
  if (config.knobs.print_env) {
    std::printf(
        "environment variable names: %s\n",
        absl::StrJoin(tao::fakes::EnvironmentNames(environ), ", ").c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // dropped connections must not kill us
  const std::vector<std::string> args(argv, argv + argc);
  absl::StatusOr<tao::fakes::LaunchConfig> config =
      tao::fakes::ParseLaunchArgs(args);
  if (!config.ok()) {
    std::fprintf(stderr, "%s: error: %s\n", argv[0],
                 std::string(config.status().message()).c_str());
    return 2;
  }

  httplib::Server server;
  server.new_task_queue = [] {
    return new httplib::ThreadPool(kWorkerThreads);
  };
  server.set_keep_alive_max_count(1000);
  int port = config->port;
  if (port == 0) {
    port = server.bind_to_any_port(config->host);
  } else if (!server.bind_to_port(config->host, port)) {
    port = -1;
  }
  if (port <= 0) {
    std::fprintf(stderr, "%s: error: cannot listen on %s:%d\n", argv[0],
                 config->host.c_str(), config->port);
    return 1;
  }

  const nlohmann::json launch_info =
      tao::fakes::CollectLaunchInfo(args, environ, *config, port);
  if (absl::Status s =
          tao::fakes::WriteLaunchFile(launch_info, tao::fakes::kLaunchFileName);
      !s.ok()) {
    std::fprintf(stderr, "%s: warning: %s\n", argv[0],
                 std::string(s.message()).c_str());
  }
  PrintStartup(*config, port);

  tao::fakes::BackendState state;
  tao::fakes::RegisterRoutes({&*config, &launch_info, &state}, &server);
  std::thread(tao::fakes::RunLifecycle, config->knobs, &state).detach();
  return server.listen_after_bind() ? 0 : 1;
}
