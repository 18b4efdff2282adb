// tao-inferd-test: tao-inferd plus the "test" platform (services as local
// processes of the reference backend). For tests and scripts/demo only; the
// production tao-inferd does not contain the test platform.
#include <string>

#include "absl/flags/flag.h"
#include "platforms/common/log.h"
#include "server/server_main.h"
#include "tests/support/launch_pause.h"
#include "tests/support/test_platform.h"

ABSL_FLAG(std::string, test_platform_root, "/tmp/tao-test-platform",
          "Working folder of the test platform (one folder per service).");
ABSL_FLAG(std::string, reference_backend, TAO_REFERENCE_BACKEND_PATH,
          "Path of the reference_backend executable the services run.");
ABSL_FLAG(std::string, test_pause_launch_at, "",
          "before-submit or after-submit: every launch stops dead at that "
          "step (logging \"test: launch of <job id> paused <step>\"), so "
          "that a test can SIGKILL the server there.");

int main(int argc, char** argv) {
  return tao::server::RunServer(
      argc, argv, [](tao::platforms::PlatformRegistry& platforms) {
        tao::testing::TestPlatform::Options options;
        options.reference_backend = absl::GetFlag(FLAGS_reference_backend);
        options.work_root = absl::GetFlag(FLAGS_test_platform_root);
        auto platform = tao::testing::TestPlatform::Create(options);
        if (!platform.ok()) return platform.status();
        tao::platforms::LogInfo(
            "test platform enabled (services run as local reference-backend "
            "processes; for tests only)");
        if (absl::Status s = platforms.Register(*std::move(platform));
            !s.ok()) {
          return s;
        }
        const std::string pause = absl::GetFlag(FLAGS_test_pause_launch_at);
        if (pause.empty()) return absl::OkStatus();
        absl::StatusOr<tao::testing::PauseStep> step =
            tao::testing::ParsePauseStep(pause);
        if (!step.ok()) return step.status();
        return tao::testing::PauseEveryLaunch(platforms, *step);
      });
}
