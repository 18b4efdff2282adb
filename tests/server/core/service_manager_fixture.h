// The ServiceManager test fixture: a scripted platform ("scripted"), the
// real catalog (config/), a real registry file behind a registry whose
// reads and writes can be made to fail, and helpers for the common calls.
#ifndef TAO_TESTS_SERVER_CORE_SERVICE_MANAGER_FIXTURE_H_
#define TAO_TESTS_SERVER_CORE_SERVICE_MANAGER_FIXTURE_H_

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "server/core/registry/file_registry.h"
#include "server/core/service_manager.h"
#include "tests/platforms/testing/scripted_platform.h"
#include "tests/server/core/registry/temp_dir.h"

namespace tao::core::testing {

namespace v1 = ::tao::inference::v1;
using platforms::testing::ScriptedPlatform;

inline constexpr char kToken[] = "hf_secret_value_123";

// A registry whose next reads or writes can be made to fail, and that
// counts its writes.
class FlakyRegistry : public registry::Registry {
 public:
  explicit FlakyRegistry(std::unique_ptr<registry::Registry> target)
      : target_(std::move(target)) {}
  absl::StatusOr<registry::RegistryState> Read() override {
    if (fail_reads_ > 0) {
      --fail_reads_;
      return absl::DataLossError("state.json: not JSON");
    }
    return target_->Read();
  }
  absl::Status Mutate(
      const std::function<absl::Status(registry::RegistryState&)>& mutate)
      override {
    if (succeed_writes_ > 0) {
      --succeed_writes_;
    } else if (fail_writes_ > 0) {
      --fail_writes_;
      return absl::UnavailableError("disk full");
    }
    ++writes_;
    return target_->Mutate(mutate);
  }
  std::string Describe() const override { return target_->Describe(); }
  int fail_reads_ = 0;
  int fail_writes_ = 0;
  int succeed_writes_ = 0;  // before the fail_writes_ ones
  int writes_ = 0;

 private:
  std::unique_ptr<registry::Registry> target_;
};

class ServiceManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog::Catalog::Options catalog_options;
    catalog_options.config_dir =
        std::string(std::getenv("TAO_SOURCE_DIR")) + "/config";
    catalog_options.getenv = [](absl::string_view) {
      return std::optional<std::string>();
    };
    auto loaded = catalog::Catalog::Create(catalog_options);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    catalog_ = *std::move(loaded);

    registry::FileRegistry::Options registry_options;
    registry_options.path = dir_.File("state.json");
    auto file = registry::FileRegistry::Create(registry_options);
    ASSERT_TRUE(file.ok()) << file.status();
    registry_ = std::make_unique<FlakyRegistry>(*std::move(file));

    auto platform = std::make_unique<ScriptedPlatform>();
    platform_ = platform.get();
    ASSERT_TRUE(platforms_.Register(std::move(platform)).ok());

    backend::BackendClient::Options backend_options;
    backend_options.connect_timeout = absl::Seconds(1);
    backend_ = std::make_unique<backend::BackendClient>(backend_options);

    auto manager = MakeManager(platforms_, [](int) { return true; });
    ASSERT_TRUE(manager.ok()) << manager.status();
    manager_ = *std::move(manager);
  }

  // A manager over this fixture's registry, catalog and environment.
  absl::StatusOr<std::unique_ptr<ServiceManager>> MakeManager(
      platforms::PlatformRegistry& platforms,
      std::function<bool(int)> port_bindable) {
    ServiceManager::Options options;
    options.registry = registry_.get();
    options.catalog = catalog_.get();
    options.platforms = &platforms;
    options.backend = backend_.get();
    options.getenv = [this](absl::string_view name) {
      auto it = env_.find(std::string(name));
      return it == env_.end() ? std::optional<std::string>() : it->second;
    };
    options.port_bindable = std::move(port_bindable);
    options.poll_initial = absl::Milliseconds(1);
    options.poll_max = absl::Milliseconds(5);
    return ServiceManager::Create(options);
  }

  // The registry entry of `job_id` (a test failure when absent).
  registry::ServiceEntry EntryOf(const std::string& job_id) {
    auto state = registry_->Read();
    EXPECT_TRUE(state.ok()) << state.status();
    if (!state.ok() || state->Find(job_id) == nullptr) {
      ADD_FAILURE() << "no registry entry " << job_id;
      return registry::ServiceEntry();
    }
    return *state->Find(job_id);
  }

  // Runs ReconcileAtStartup; what it logged.
  std::string Reconcile() {
    ::testing::internal::CaptureStderr();
    manager_->ReconcileAtStartup();
    return ::testing::internal::GetCapturedStderr();
  }

  v1::StartRequest Request() {
    v1::StartRequest request;
    request.set_platform("scripted");
    request.set_network_arch("cosmos-rl");
    request.set_model_path("hf_model://nvidia/Cosmos-Reason1-7B");
    return request;
  }

  absl::StatusOr<v1::StartResponse> Start(const v1::StartRequest& request) {
    return manager_->Start(request, absl::InfiniteFuture(), nullptr);
  }

  // Runs WaitReady to its end; the events and the final status.
  std::pair<std::vector<v1::WaitReadyEvent>, absl::Status> Wait(
      const std::string& job_id, absl::Duration timeout) {
    v1::WaitReadyRequest request;
    request.set_job_id(job_id);
    request.mutable_timeout()->set_nanos(
        static_cast<int32_t>(absl::ToInt64Nanoseconds(timeout) % 1000000000));
    request.mutable_timeout()->set_seconds(absl::ToInt64Seconds(timeout));
    std::vector<v1::WaitReadyEvent> events;
    absl::Status status = manager_->WaitReady(
        request, absl::InfiniteFuture(), [] { return false; },
        [&](const v1::WaitReadyEvent& event) {
          events.push_back(event);
          return true;
        });
    return {events, status};
  }

  registry::testing::TempDir dir_;
  std::map<std::string, std::string> env_ = {
      {"HF_TOKEN", kToken}, {"TAO_SERVER_INSTANCE", "inferd-test-1"}};
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<FlakyRegistry> registry_;
  platforms::PlatformRegistry platforms_;
  ScriptedPlatform* platform_ = nullptr;
  std::unique_ptr<backend::BackendClient> backend_;
  std::unique_ptr<ServiceManager> manager_;
};

}  // namespace tao::core::testing

#endif  // TAO_TESTS_SERVER_CORE_SERVICE_MANAGER_FIXTURE_H_
