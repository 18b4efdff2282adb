// The driver conformance suite: one parameterised test of the contract in
// platforms/platform.h that every driver runs against its real engine or its
// faithful fake (as LevelDB's env_test runs against every Env).
//
// A driver's test provides a ConformanceEnv and instantiates the suite:
//   INSTANTIATE_TEST_SUITE_P(LocalDocker, PlatformConformanceTest,
//       ::testing::Values(&MakeDockerConformanceEnv));
// and compiles platform_conformance.cc into its test binary.
//
// The checks are also free functions, so that conformance_self_test can
// show that a driver breaking the contract fails them.
#ifndef TAO_TESTS_PLATFORMS_CONFORMANCE_PLATFORM_CONFORMANCE_H_
#define TAO_TESTS_PLATFORMS_CONFORMANCE_PLATFORM_CONFORMANCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "platforms/platform.h"

namespace tao::platforms::conformance {

// What one driver's test brings to the suite.
class ConformanceEnv {
 public:
  virtual ~ConformanceEnv() = default;

  // Finds the engine (or fake). UNAVAILABLE when it is not there: the
  // suite then skips, or fails when Required().
  virtual absl::Status SetUp() = 0;
  // True when a missing engine must fail the tests (TAO_REQUIRE_*).
  virtual bool Required() const = 0;

  // The driver under test, talking to the engine SetUp found.
  virtual std::unique_ptr<Platform> MakePlatform() = 0;
  // The same driver pointed at an engine that cannot be reached.
  virtual std::unique_ptr<Platform> MakeUnreachablePlatform() = 0;
  // A launch of the reference backend with a fresh job id and host port,
  // marked with a server instance of this test's own. The env remembers
  // the job so that CleanUp can remove it.
  virtual LaunchSpec NewSpec() = 0;
  // A placement of a workload that never existed on this platform (as a
  // registry entry may hold after the workload was removed by hand).
  virtual Placement MissingPlacement() = 0;
  // A placement as the unreachable platform would have recorded it.
  virtual Placement UnreachablePlacement() { return MissingPlacement(); }
  // Removes whatever NewSpec's jobs left, whatever the tests did.
  virtual void CleanUp() = 0;

  // How long a launched workload may take to run.
  virtual absl::Duration Patience() const { return absl::Seconds(90); }
};

// The part of a NewSpec every driver shares: a fresh job id, cosmos-rl
// with the reference backend's entry-point command on the given port, the
// env payload for `execution_backend`, one secret and `server_instance`.
// Drivers add image, host port and deadline.
LaunchSpec ReferenceBackendSpec(const std::string& execution_backend,
                                const std::string& server_instance);

using ConformanceEnvFactory = std::unique_ptr<ConformanceEnv> (*)();

// Launch -> a placement reported through progress, then one with the job
// id, a host_url and the spec's host-port scope; Inspect -> running (after
// pending, within `patience`); the workload answers at host_url;
// EnsureReachable leaves a reachable workload as it is; Logs answers;
// ListOwned(server instance) lists it with its placement; Terminate -> OK,
// after which Inspect says it no longer runs; Terminate again
// -> OK.
void CheckLifecycle(Platform& platform, const LaunchSpec& spec,
                    absl::Duration patience);

// Launch cancelled (spec.cancelled() true) once it reported a placement:
// Launch -> CANCELLED, and the reported workload stops running within
// `patience`.
void CheckCancelledLaunch(Platform& platform, LaunchSpec spec,
                          absl::Duration patience);

// A workload that does not exist: Inspect -> kMissing (not an error),
// Terminate -> OK, Logs -> NOT_FOUND.
void CheckMissingWorkload(Platform& platform, const Placement& missing);

// An option the driver does not know: ValidateOptions and Launch ->
// INVALID_ARGUMENT naming it, and nothing runs afterwards.
void CheckUnknownOptionRefused(Platform& platform, LaunchSpec spec);

// A deadline already past: Launch -> DEADLINE_EXCEEDED, nothing runs.
void CheckPastDeadline(Platform& platform, LaunchSpec spec);

// An engine that cannot be reached: Launch, Inspect and Terminate ->
// UNAVAILABLE; ListOwned -> UNAVAILABLE or UNIMPLEMENTED.
void CheckUnreachable(Platform& unreachable, const LaunchSpec& spec,
                      const Placement& placement);

// Launches `specs` from one thread each: every launch succeeds with its
// own placement, and concurrent Terminates all succeed.
void CheckConcurrentLaunches(Platform& platform,
                             const std::vector<LaunchSpec>& specs);

class PlatformConformanceTest
    : public ::testing::TestWithParam<ConformanceEnvFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::unique_ptr<ConformanceEnv> env_;
  std::unique_ptr<Platform> platform_;
};

}  // namespace tao::platforms::conformance

#endif  // TAO_TESTS_PLATFORMS_CONFORMANCE_PLATFORM_CONFORMANCE_H_
