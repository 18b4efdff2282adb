// The interface every compute platform driver implements.
//
// The core turns a Start request into a platform-neutral LaunchSpec; a driver
// turns that into platform calls and answers with a Placement: where the
// service is reachable and the platform's own ids. Drivers never touch the
// registry, the catalog or each other. docs/adding-a-platform.md lists what a
// new driver implements and the files it touches.
//
// Thread safety: one Platform instance per platform name is shared by every
// server thread; all methods must be safe to call concurrently, also for the
// same placement. Methods may block for the platform's round trips (bounded
// by the driver's own timeouts and, for Launch, LaunchSpec::deadline); the
// core never holds a lock of its own while it calls them.
#ifndef TAO_PLATFORMS_PLATFORM_H_
#define TAO_PLATFORMS_PLATFORM_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tao::platforms {

// The host-port scope of workloads published on the machine tao-inferd runs
// on (containers, tunnels, local processes). The core's port pool probes a
// port for bindability only in this scope: nowhere else can it tell.
inline constexpr absl::string_view kThisHostPortScope = "localhost";

// Everything a driver needs to start one service.
struct LaunchSpec {
  std::string job_id;  // UUID; container/job name where the platform allows.
  std::string network_arch;  // For labels and names only.
  std::string image;         // Resolved image reference.
  // Builds the inner shell command (run with /bin/bash -c) for the port the
  // service listens on inside its network namespace. Drivers whose workloads
  // share a host network pick that port; others pass kDefaultContainerPort.
  // Never returns an empty command; errors are INVALID_ARGUMENT (the core
  // built it once before Launch, so an error here is a port it rejects).
  std::function<absl::StatusOr<std::string>(int container_port)> inner_command;
  // Non-secret environment (the catalog's env payload plus allowed extras).
  std::map<std::string, std::string> env;
  // Secret environment (HF_TOKEN, ...). Drivers pass these to the workload
  // as environment variables only: never on a command line, in a label, in a
  // log line, in an error message or in the Placement.
  std::map<std::string, std::string> secret_env;
  int num_gpus = 1;
  // Host port the core allocated from its pool when HostPortScope(spec) is
  // not empty; 0 otherwise.
  int host_port = 0;
  // Platform-specific options from the request, flattened to strings
  // (for example "bind_address", "network", "partition"); ValidateOptions
  // accepted them.
  std::map<std::string, std::string> options;
  // Which server starts the workload (TAO_SERVER_INSTANCE, default the host
  // name). Drivers mark the workload with it (a label, a job comment) so
  // that ListOwned finds what this server started.
  std::string server_instance;
  // Launch must give up with DEADLINE_EXCEEDED after this.
  absl::Time deadline = absl::InfiniteFuture();
  // True once the launch is no longer wanted (the service was stopped, the
  // server shuts down): Launch then gives up with CANCELLED at its next
  // wait (a pull, a poll), leaving nothing running. May be null.
  std::function<bool()> cancelled;
};

inline constexpr int kDefaultContainerPort = 8080;

// Where a started service lives. Stored in the registry, so a restarted
// server can Inspect and Terminate what an earlier one started.
//
// The typed fields are the registry's keys that the original skill reads
// (job_id, host_url, docker_url, host_port, platform_job_id, slurm_node;
// spec §2) and two the server's Service message shows (instance_id,
// namespace_). A new driver keeps every other id in `attributes`: it then
// needs no change to the registry, the proto or the core.
struct Placement {
  std::string job_id;
  std::string host_url;    // e.g. http://localhost:8080
  std::string docker_url;  // local-docker and brev only
  int host_port = 0;
  std::string platform_job_id;  // SLURM id, Kubernetes job name, Lepton id
  std::string slurm_node;
  std::string instance_id;  // Service.instance_id (no driver sets it yet)
  std::string namespace_;   // Service.namespace (no driver sets it yet)
  // Driver-private facts needed later (ids, process ids, tunnel ports),
  // stored as the entry's platform_data. Never secrets.
  std::map<std::string, std::string> attributes;
};

// What the platform says about a workload right now.
struct RuntimeState {
  enum class Phase {
    kPending,  // accepted, not running yet (queued, creating, pulling)
    kRunning,
    kExited,   // finished or failed; exit_code is set when known
    kMissing,  // the platform has no such workload
    kUnknown,
  };
  Phase phase = Phase::kUnknown;
  int exit_code = 0;
  bool has_exit_code = false;
  // The platform's own words, e.g. "CANCELLED by 0" or "OOMKilled".
  std::string detail;
};

// A workload the platform marks as started by this server (a container
// label, a job comment), whether or not the registry still knows it.
struct OwnedWorkload {
  std::string job_id;
  std::string network_arch;
  // The platform's words on its state and how to remove it by hand, e.g.
  // "running (container 3f2a...); remove it with `docker rm -f <job id>`".
  std::string detail;
  // As much of its Placement as the platform can tell (at least job_id and
  // the ids Terminate needs), so that the server could adopt it.
  Placement placement;
};

// Progress during Launch: what the platform does, in its words; pull bytes
// where it counts them; and the workload's ids as soon as it has them.
struct ProgressEvent {
  enum class Phase { kPulling, kStarting };
  Phase phase = Phase::kStarting;
  std::string message;
  // Image bytes fetched so far and in all over the layers announced so far
  // (kPulling); 0 when the platform does not tell.
  int64_t bytes_done = 0;
  int64_t bytes_total = 0;
  // The Placement as known so far, set when the driver learns ids of the
  // workload (a container created, a job submitted). The core writes it to
  // the registry before the callback returns, so that a server killed after
  // this point finds the workload on restart: report it before the step
  // that makes the workload run (starting a created container) or right
  // after the step that hands out the id (sbatch). Never secrets.
  std::optional<Placement> placement;
};
using ProgressCallback = std::function<void(const ProgressEvent&)>;

// Reports `message` in `phase` through `progress` (which may be null).
void ReportProgress(const ProgressCallback& progress,
                    ProgressEvent::Phase phase, std::string message);
// Reports the placement as known so far (see ProgressEvent::placement).
void ReportPlacement(const ProgressCallback& progress, std::string message,
                     const Placement& placement);

class Platform {
 public:
  virtual ~Platform() = default;

  // The name clients use, e.g. "local-docker".
  virtual absl::string_view name() const = 0;

  // The env value of TAO_EXECUTION_BACKEND this platform is known by.
  virtual absl::string_view execution_backend() const = 0;

  // Host ports. The scope in which the host port of a workload launched
  // with `spec` must be unique: kThisHostPortScope when the workload or a
  // tunnel binds a port of this host; a name of the remote host's own
  // (e.g. "brev:<instance>") when services share a host elsewhere; empty
  // when the platform needs no host port (the core then allocates none and
  // LaunchSpec::host_port is 0). Pure: no platform calls.
  virtual std::string HostPortScope(const LaunchSpec& spec) const = 0;

  // The same scope for a workload already placed (a registry entry), from
  // its Placement: it must equal HostPortScope of the spec that placed it,
  // so that the core counts its port as taken. Default: the scope of a
  // spec without options (right for drivers whose scope never depends on
  // the request).
  virtual std::string HostPortScopeOf(const Placement& placement) const {
    (void)placement;
    return HostPortScope(LaunchSpec());
  }

  // Checks a request's options (LaunchSpec::options; an empty value means
  // unset) before the core reserves anything. Pure: no platform calls.
  // Errors: INVALID_ARGUMENT whose message starts with the option's field
  // path in the request ("slurm.partition: ...", "docker.network: ...").
  // Default: the platform takes no options, so any set option is refused.
  virtual absl::Status ValidateOptions(
      const std::map<std::string, std::string>& options) const;

  // Starts the workload and returns once the platform reports it running.
  // The core has written the service's registry entry (state PENDING)
  // before the call; `progress` with a placement updates it (see
  // ProgressEvent::placement). Errors: INVALID_ARGUMENT (bad option),
  // FAILED_PRECONDITION (image or credentials missing), UNAVAILABLE (platform
  // unreachable), RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, CANCELLED. On error
  // nothing is left running.
  virtual absl::StatusOr<Placement> Launch(
      const LaunchSpec& spec, const ProgressCallback& progress) = 0;

  // Reports the workload's state. A missing workload is kMissing, not an
  // error. Errors: UNAVAILABLE (platform unreachable).
  // Side effects: none on the workload, and nothing is (re)opened. A driver
  // may release its own local plumbing of a workload it finds ended (SLURM
  // closes the tunnel of a job that is gone).
  virtual absl::StatusOr<RuntimeState> Inspect(const Placement& placement) = 0;

  // Inspect, and when the workload runs, repairs what this host needs to
  // reach it (SLURM re-opens a dead tunnel). May update `placement`'s
  // attributes (a new tunnel pid); the core then stores the placement in
  // the registry. Idempotent: a second call on a reachable workload
  // changes nothing. Errors: those of Inspect; UNAVAILABLE when the repair
  // fails. Default: Inspect (nothing to repair).
  virtual absl::StatusOr<RuntimeState> EnsureReachable(Placement& placement) {
    return Inspect(placement);
  }

  // HTTP header lines ("Name: value") that every call to the workload's
  // host_url must carry: the core adds them to each readiness probe and
  // Infer request. A Lepton deployment's endpoint takes
  // "Authorization: Bearer <its API token>". The values are credentials:
  // the core sends them and never logs, stores or returns them, and
  // drivers keep them out of the Placement (a driver re-reads them from
  // the platform after a restart). May ask the platform. Errors:
  // UNAVAILABLE (platform unreachable), NOT_FOUND (no such workload).
  // Default: none.
  virtual absl::StatusOr<std::vector<std::string>> EndpointHeaders(
      const Placement& placement) {
    (void)placement;
    return std::vector<std::string>();
  }

  // Stops and removes the workload. A workload already gone is OK
  // (idempotent). Errors: UNAVAILABLE.
  virtual absl::Status Terminate(const Placement& placement) = 0;

  // The last `tail_lines` lines of the workload's output, unredacted (the
  // caller redacts). Errors: NOT_FOUND, UNAVAILABLE.
  virtual absl::StatusOr<std::string> Logs(const Placement& placement,
                                           int tail_lines) = 0;

  // EnsureReachable for each registry entry of this platform when the
  // server starts: drivers also re-open what does not survive a restart
  // (tunnels), adopting what did, and finish a launch the restart cut
  // short once its workload exists (local-docker starts a container left
  // created; SLURM finds the node port of a job submitted but not yet
  // reached). The placement may be partial (an entry still PENDING: only
  // what the launch reported so far, merged with ListOwned's answer). One
  // call answers both, so that a restart asks the platform once per entry. May
  // update `placement` like EnsureReachable; the core stores it. An UNAVAILABLE
  // answer makes the core skip the platform's remaining entries. Default:
  // EnsureReachable.
  virtual absl::StatusOr<RuntimeState> Reattach(Placement& placement) {
    return EnsureReachable(placement);
  }

  // Every workload that server `server_instance` started and that still
  // exists on the platform (one platform query, not one per workload), so
  // that the server can report those its registry lacks. Errors:
  // UNAVAILABLE; UNIMPLEMENTED when the platform cannot tell (the default),
  // which callers treat as "unknown", never as "none".
  virtual absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance);
};

// A driver's CreateFromEnvironment: `Driver::Create` of the options its
// environment gave, as a Platform; either step's error as it is.
template <typename Driver, typename Options>
absl::StatusOr<std::unique_ptr<Platform>> CreateDriver(
    absl::StatusOr<Options> options) {
  if (!options.ok()) return options.status();
  absl::StatusOr<std::unique_ptr<Driver>> driver =
      Driver::Create(*std::move(options));
  if (!driver.ok()) return driver.status();
  return std::unique_ptr<Platform>(*std::move(driver));
}

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_PLATFORM_H_
