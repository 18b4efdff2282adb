// A Platform that forwards every call to another one (LevelDB's EnvWrapper
// pattern): subclass it and override only what a test wants to change.
#ifndef TAO_PLATFORMS_FORWARDING_PLATFORM_H_
#define TAO_PLATFORMS_FORWARDING_PLATFORM_H_

#include "platforms/platform.h"

namespace tao::platforms {

class ForwardingPlatform : public Platform {
 public:
  // `target` must outlive this object.
  explicit ForwardingPlatform(Platform* target) : target_(target) {}

  absl::string_view name() const override { return target_->name(); }
  absl::string_view execution_backend() const override {
    return target_->execution_backend();
  }
  std::string HostPortScope(const LaunchSpec& spec) const override {
    return target_->HostPortScope(spec);
  }
  std::string HostPortScopeOf(const Placement& placement) const override {
    return target_->HostPortScopeOf(placement);
  }
  absl::Status ValidateOptions(
      const std::map<std::string, std::string>& options) const override {
    return target_->ValidateOptions(options);
  }
  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override {
    return target_->Launch(spec, progress);
  }
  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override {
    return target_->Inspect(placement);
  }
  absl::StatusOr<RuntimeState> EnsureReachable(Placement& placement) override {
    return target_->EnsureReachable(placement);
  }
  absl::StatusOr<std::vector<std::string>> EndpointHeaders(
      const Placement& placement) override {
    return target_->EndpointHeaders(placement);
  }
  absl::Status Terminate(const Placement& placement) override {
    return target_->Terminate(placement);
  }
  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override {
    return target_->Logs(placement, tail_lines);
  }
  absl::StatusOr<RuntimeState> Reattach(Placement& placement) override {
    return target_->Reattach(placement);
  }
  absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance) override {
    return target_->ListOwned(server_instance);
  }

  Platform* target() const { return target_; }

 private:
  Platform* const target_;
};

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_FORWARDING_PLATFORM_H_
