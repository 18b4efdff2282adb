#include "tests/platforms/lepton/lepton_test_workspace.h"

#include <optional>
#include <utility>

#include "gtest/gtest.h"

namespace tao::platforms::lepton::testing {

using fakes::lepton::FakeLeptonServer;

absl::StatusOr<std::unique_ptr<LeptonTestWorkspace>> LeptonTestWorkspace::Start(
    const std::string& docker_host, const std::string& owner,
    const std::function<void(FakeLeptonServer::Options&)>& tweak) {
  FakeLeptonServer::Options options;
  options.workspace = kTestWorkspace;
  options.token = kTestToken;
  options.docker_host = docker_host;
  options.owner = owner;
  options.probe_interval = absl::Milliseconds(200);
  options.restart_backoff = absl::Milliseconds(500);
  options.retry_interval = absl::Milliseconds(300);
  options.delete_delay = absl::Milliseconds(300);
  if (tweak) tweak(options);
  absl::StatusOr<std::unique_ptr<FakeLeptonServer>> fake =
      FakeLeptonServer::Start(std::move(options));
  if (!fake.ok()) return fake.status();
  std::unique_ptr<LeptonTestWorkspace> workspace(new LeptonTestWorkspace());
  workspace->fake_ = *std::move(fake);
  return workspace;
}

std::map<std::string, std::string> LeptonTestWorkspace::Environment() const {
  return {{kEnvWorkspaceId, fake_->options().workspace},
          {kEnvWorkspaceToken, fake_->options().token},
          {kEnvWorkspaceUrl, fake_->url()}};
}

LeptonPlatform::Options LeptonTestWorkspace::DriverOptions(
    const std::map<std::string, std::string>& extra) const {
  std::map<std::string, std::string> env = Environment();
  for (const auto& [name, value] : extra) env[name] = value;
  absl::StatusOr<LeptonPlatform::Options> options =
      LeptonPlatform::OptionsFromEnvironment(
          [env](absl::string_view name) -> std::optional<std::string> {
            auto it = env.find(std::string(name));
            if (it == env.end() || it->second.empty()) return std::nullopt;
            return it->second;
          });
  EXPECT_TRUE(options.ok()) << options.status();
  LeptonPlatform::Options result =
      options.ok() ? *std::move(options) : LeptonPlatform::Options();
  if (result.resource_shape.empty()) result.resource_shape = "gpu.1xh100-sxm";
  result.shared_memory_mib = 64;
  result.poll_min = absl::Milliseconds(100);
  result.poll_max = absl::Milliseconds(500);
  result.delete_wait = absl::Seconds(30);
  return result;
}

std::unique_ptr<LeptonPlatform> LeptonTestWorkspace::MakePlatform(
    const std::map<std::string, std::string>& extra) const {
  absl::StatusOr<std::unique_ptr<LeptonPlatform>> platform =
      LeptonPlatform::Create(DriverOptions(extra));
  EXPECT_TRUE(platform.ok()) << platform.status();
  return platform.ok() ? *std::move(platform) : nullptr;
}

}  // namespace tao::platforms::lepton::testing
