// The "test" platform (tests only): runs a service's unmodified inner
// command as a local process with /bin/bash -c, with PATH leading to a
// folder of executables named as the containers' entry points
// (cosmos-rl-inference-microservice, cosmos_predict) that are the reference
// backend. This lets the whole server be tested end to end without a
// container engine. Several services share this host's network, so the
// service listens on the host port the core allocated (the container port is
// a parameter of the inner command).
#ifndef TAO_TESTS_SUPPORT_TEST_PLATFORM_H_
#define TAO_TESTS_SUPPORT_TEST_PLATFORM_H_

#include <memory>
#include <string>

#include "platforms/platform.h"

namespace tao::testing {

class TestPlatform : public platforms::Platform {
 public:
  struct Options {
    // The reference_backend executable the entry points link to.
    std::string reference_backend;
    // Where each service gets a working folder (<root>/<job_id>) holding
    // its output log; also where the entry-point links are made.
    std::string work_root;
  };

  // Creates work_root/bin with the entry-point links. Errors: INTERNAL.
  static absl::StatusOr<std::unique_ptr<TestPlatform>> Create(Options options);

  absl::string_view name() const override { return "test"; }
  // Like local-docker: the service is a local process.
  absl::string_view execution_backend() const override {
    return "local-docker";
  }
  // The service is a local process listening on its host port.
  std::string HostPortScope(const platforms::LaunchSpec&) const override {
    return std::string(platforms::kThisHostPortScope);
  }

  absl::StatusOr<platforms::Placement> Launch(
      const platforms::LaunchSpec& spec,
      const platforms::ProgressCallback& progress) override;
  absl::StatusOr<platforms::RuntimeState> Inspect(
      const platforms::Placement& placement) override;
  absl::Status Terminate(const platforms::Placement& placement) override;
  absl::StatusOr<std::string> Logs(const platforms::Placement& placement,
                                   int tail_lines) override;

 private:
  explicit TestPlatform(Options options) : options_(std::move(options)) {}

  const Options options_;
};

}  // namespace tao::testing

#endif  // TAO_TESTS_SUPPORT_TEST_PLATFORM_H_
