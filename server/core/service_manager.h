// The core of tao-inferd: starts, tracks, waits for, routes to and stops
// inference services. The gRPC layer is a thin translation over this class.
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_SERVER_CORE_SERVICE_MANAGER_H_
#define TAO_SERVER_CORE_SERVICE_MANAGER_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platforms/common/redactor.h"
#include "platforms/platform_registry.h"
#include "server/core/backend/backend_client.h"
#include "server/core/catalog/catalog.h"
#include "server/core/launch_tracker.h"
#include "server/core/port_allocator.h"
#include "server/core/registry/registry.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::core {

// The reason of a registry entry whose launch has not ended (state
// PENDING): a server that finds one at startup was stopped mid-launch.
inline constexpr absl::string_view kLaunchingReason = "launching";
bool IsUnfinishedLaunch(const registry::ServiceEntry& entry);

class ServiceManager {
 public:
  struct Options {
    // Not owned; must outlive the manager.
    registry::Registry* registry = nullptr;
    catalog::Catalog* catalog = nullptr;
    platforms::PlatformRegistry* platforms = nullptr;
    backend::BackendClient* backend = nullptr;
    // The server's environment (secrets are read from it). Null: ::getenv.
    std::function<std::optional<std::string>(absl::string_view)> getenv;
    // Which server this is, for LaunchSpec::server_instance and ListOwned.
    // Empty: TAO_SERVER_INSTANCE from `getenv`, else this host's name.
    std::string server_instance;
    // Port probe for this host's scope. Null: platforms::IsPortBindable on
    // 0.0.0.0.
    std::function<bool(int)> port_bindable;
    // The host port pool (spec §3); tests running several servers side by
    // side give each its own range.
    int first_service_port = kFirstServicePort;
    int last_service_port = kLastServicePort;
    // WaitReady's timeout when the request sets none (the skill's 600 s).
    absl::Duration default_wait_timeout = absl::Seconds(600);
    // Readiness polling backoff: first interval, growth, cap.
    absl::Duration poll_initial = absl::Milliseconds(100);
    double poll_growth = 1.5;
    absl::Duration poll_max = absl::Seconds(5);
    // Log lines kept from a failed workload's output.
    int failure_log_lines = 20;
    // The deadline of a launch a Start with return_on_accept leaves running
    // (the call's own deadline ends with the call).
    absl::Duration background_launch_timeout = absl::Hours(1);
  };

  // Errors: INVALID_ARGUMENT when a required dependency is missing.
  static absl::StatusOr<std::unique_ptr<ServiceManager>> Create(
      Options options);

  // Cancels the launches in flight and waits until they have given up.
  ~ServiceManager();

  using Progress = std::function<void(const std::string& message)>;

  // Writes the PENDING entry, then launches: in this thread (returning once
  // the platform runs the workload; a failed launch leaves no entry), or,
  // with request.return_on_accept, in the background (returning the
  // PENDING service; a failed launch leaves the entry FAILED).
  absl::StatusOr<tao::inference::v1::StartResponse> Start(
      const tao::inference::v1::StartRequest& request, absl::Time deadline,
      const Progress& progress);

  absl::StatusOr<tao::inference::v1::StopResponse> Stop(
      const tao::inference::v1::StopRequest& request);

  absl::StatusOr<tao::inference::v1::ListResponse> List(
      const tao::inference::v1::ListRequest& request);

  absl::StatusOr<tao::inference::v1::Service> Get(
      const tao::inference::v1::GetRequest& request);

  // Calls `emit` for every change of state or phase; stops when the service
  // is READY or FAILED (returns OK after emitting that event), at the
  // deadline (DEADLINE_EXCEEDED), when `cancelled()` (CANCELLED) or when
  // `emit` returns false (CANCELLED: the client went away).
  absl::Status WaitReady(
      const tao::inference::v1::WaitReadyRequest& request, absl::Time deadline,
      const std::function<bool()>& cancelled,
      const std::function<bool(const tao::inference::v1::WaitReadyEvent&)>&
          emit);

  absl::StatusOr<tao::inference::v1::InferResponse> Infer(
      const tao::inference::v1::InferRequest& request, absl::Time deadline,
      const std::function<bool()>& cancelled);

  // Checks every registry entry against its platform (Reattach: re-opening
  // what a restart lost, storing what the driver changed) and marks
  // entries whose workload is gone or failed (state and reason, logged;
  // kept until stopped), then logs workloads this server started that the
  // registry lacks. A PENDING entry no launch runs (the server stopped
  // mid-launch) adopts what ListOwned tells of its workload; when nothing of
  // it exists, the entry is removed (nothing was ever started). After a
  // platform's first UNAVAILABLE answer its other entries are skipped (one
  // log line counts them). Never removes workloads. Returns early once
  // `stopped()` (may be null) is true. Safe to run while RPCs are served.
  void ReconcileAtStartup(const std::function<bool()>& stopped = nullptr);

  const std::string& server_instance() const { return server_instance_; }

  // The redactor for every secret set in the server's environment.
  const platforms::Redactor& redactor() const { return redactor_; }
  const catalog::Catalog& catalog() const { return *options_.catalog; }

  // A redactor for the values of the catalog's secret names in `getenv`
  // (null: the process environment).
  static platforms::Redactor SecretRedactor(
      const catalog::Catalog& catalog,
      const std::function<std::optional<std::string>(absl::string_view)>&
          getenv);

 private:
  explicit ServiceManager(Options options);

  // ListOwned answers by platform name, each asked at most once per
  // ReconcileAtStartup.
  using OwnedByPlatform =
      std::map<std::string,
               absl::StatusOr<std::vector<platforms::OwnedWorkload>>>;
  const absl::StatusOr<std::vector<platforms::OwnedWorkload>>& OwnedOn(
      platforms::Platform& platform, OwnedByPlatform& cache);
  // ReconcileAtStartup's second half, for the platforms not in
  // `unreachable`.
  void ReportUnregisteredWorkloads(const registry::RegistryState& state,
                                   const std::set<std::string>& unreachable,
                                   OwnedByPlatform& owned);

  // Start's parts.
  absl::Status ValidateStart(const tao::inference::v1::StartRequest& request,
                             platforms::Platform** platform);
  absl::Status RefuseSecrets(const tao::inference::v1::StartRequest& request);
  absl::StatusOr<tao::inference::v1::StartResponse> ReplayStart(
      const std::string& request_id);

  // Launches (launch.cc).
  enum class OnLaunchFailure { kRemoveEntry, kRecordFailure };
  // platform.Launch(spec) for `entry` (already in the registry, PENDING):
  // records the placements the driver reports and the outcome (STARTING
  // with the placement; on failure, `on_failure`), then ends the launch in
  // launches_. Returns the entry as recorded.
  absl::StatusOr<registry::ServiceEntry> RunLaunch(
      platforms::Platform& platform, platforms::LaunchSpec spec,
      registry::ServiceEntry entry, const Progress& progress,
      OnLaunchFailure on_failure);
  // RunLaunch(kRecordFailure) in a thread of its own, releasing the host
  // port reservation (`scope`, `reserved_port`) when it ends.
  void LaunchInBackground(platforms::Platform& platform,
                          platforms::LaunchSpec spec,
                          registry::ServiceEntry entry, std::string scope,
                          int reserved_port);
  // Cancels the launch of `job_id` when one is in flight and waits until
  // it has given up. Errors: UNAVAILABLE when it does not in time.
  absl::Status CancelLaunch(const std::string& job_id);

  // The driver of an entry's platform; FAILED_PRECONDITION when this server
  // does not offer it.
  absl::StatusOr<platforms::Platform*> PlatformOf(
      const registry::ServiceEntry& entry);
  // The registry entry of `job_id`; NOT_FOUND names it.
  absl::StatusOr<registry::ServiceEntry> FindEntry(const std::string& job_id);
  // Records an observed state (and reason) for `job_id`; logs failures only.
  void RecordState(const std::string& job_id,
                   tao::inference::v1::ServiceState state,
                   const std::string& reason);
  // Writes a placement the driver changed into the entry of `job_id`; logs
  // failures only.
  void StoreChangedPlacement(const std::string& job_id,
                             const platforms::Placement& placement);
  // platform.EnsureReachable(placement), storing the placement when the
  // driver changed it (a re-opened tunnel's pid), so that a restarted
  // server finds what runs.
  absl::StatusOr<platforms::RuntimeState> EnsureReachable(
      platforms::Platform& platform, const std::string& job_id,
      platforms::Placement& placement);
  // The ports registry entries hold in host-port scope `scope`.
  std::set<int> PortsInScope(const registry::RegistryState& state,
                             const std::string& scope);
  // The live state of an entry according to its platform.
  tao::inference::v1::Service Refresh(const registry::ServiceEntry& entry,
                                      absl::string_view latest);
  // `service` with the state and reason the platform's answer implies.
  tao::inference::v1::Service WithRuntime(
      tao::inference::v1::Service service, platforms::Platform& platform,
      const platforms::Placement& placement,
      const absl::StatusOr<platforms::RuntimeState>& runtime);
  // Why a workload that stopped running failed: exit code and log tail.
  std::string FailureReason(platforms::Platform& platform,
                            const platforms::Placement& placement,
                            const platforms::RuntimeState& runtime);
  // Polls readiness until ready or `deadline`; used by Infer with
  // wait_for_ready. Errors as WaitReady's failure cases.
  absl::Status AwaitReady(const registry::ServiceEntry& entry,
                          absl::Time deadline,
                          const std::function<bool()>& cancelled);

  // The header lines every call to the entry's host_url carries
  // (Platform::EndpointHeaders); errors name the service.
  absl::StatusOr<std::vector<std::string>> EndpointHeadersOf(
      const registry::ServiceEntry& entry);

  // Lets the entry's platform repair what reaches its workload
  // (EnsureReachable: a dead tunnel); true when it runs.
  bool RepairPlacement(const registry::ServiceEntry& entry);

  std::optional<std::string> GetEnv(absl::string_view name) const;

  const Options options_;
  const std::string server_instance_;
  const platforms::Redactor redactor_;
  PortAllocator ports_;
  LaunchTracker launches_;
  absl::Mutex mu_;
  std::set<std::string> starts_in_flight_ ABSL_GUARDED_BY(mu_);
  struct BackgroundLaunch {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<BackgroundLaunch> background_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_SERVICE_MANAGER_H_
