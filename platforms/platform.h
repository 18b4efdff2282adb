// The interface every compute platform driver implements.
//
// The core turns a Start request into a platform-neutral LaunchSpec; a driver
// turns that into platform calls and answers with a Placement: where the
// service is reachable and the platform's own ids. Drivers never touch the
// registry, the catalog or each other.
//
// Thread safety: one Platform instance per platform name is shared by every
// server thread; all methods must be safe to call concurrently.
#ifndef TAO_PLATFORMS_PLATFORM_H_
#define TAO_PLATFORMS_PLATFORM_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace tao::platforms {

// Everything a driver needs to start one service.
struct LaunchSpec {
  std::string job_id;  // UUID; container/job name where the platform allows.
  std::string network_arch;  // For labels and names only.
  std::string image;         // Resolved image reference.
  // Builds the inner shell command (run with /bin/bash -c) for the port the
  // service listens on inside its network namespace. Drivers whose workloads
  // share a host network pick that port; others pass kDefaultContainerPort.
  std::function<std::string(int container_port)> inner_command;
  // Non-secret environment (the catalog's env payload plus allowed extras).
  std::map<std::string, std::string> env;
  // Secret environment (HF_TOKEN, ...). Drivers pass these to the workload
  // as environment variables only: never on a command line, in a label, in a
  // log line, in an error message or in the Placement.
  std::map<std::string, std::string> secret_env;
  int num_gpus = 1;
  // Host port the core allocated from its pool (drivers whose
  // NeedsHostPort() is true); 0 otherwise.
  int host_port = 0;
  // Platform-specific options from the request, flattened to strings
  // (for example "bind_address", "network", "partition").
  std::map<std::string, std::string> options;
  // Launch must give up with DEADLINE_EXCEEDED after this.
  absl::Time deadline = absl::InfiniteFuture();
};

inline constexpr int kDefaultContainerPort = 8080;

// Where a started service lives. Stored in the registry, so a restarted
// server can Inspect and Terminate what an earlier one started.
struct Placement {
  std::string job_id;
  std::string host_url;    // e.g. http://localhost:8080
  std::string docker_url;  // local-docker and brev only
  int host_port = 0;
  std::string platform_job_id;  // SLURM id, Kubernetes job name, Lepton id
  std::string slurm_node;
  std::string instance_id;  // brev
  std::string namespace_;   // kubernetes
  // Driver-private facts needed later (process ids, tunnel ports). Never
  // secrets.
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

// Progress during Launch (pull progress, queue position).
// A workload the platform marks as started by this server (a container
// label, say), whether or not the registry still knows it.
struct OwnedWorkload {
  std::string job_id;
  std::string network_arch;
  // The platform's words on its state and how to remove it by hand, e.g.
  // "running (container 3f2a...); remove with `docker rm -f <job id>`".
  std::string detail;
};

struct ProgressEvent {
  enum class Phase { kPulling, kStarting };
  Phase phase = Phase::kStarting;
  std::string message;
};
using ProgressCallback = std::function<void(const ProgressEvent&)>;

class Platform {
 public:
  virtual ~Platform() = default;

  // The name clients use, e.g. "local-docker".
  virtual absl::string_view name() const = 0;

  // The env value of TAO_EXECUTION_BACKEND this platform is known by.
  virtual absl::string_view execution_backend() const = 0;

  // True when the core must allocate LaunchSpec::host_port from its pool
  // (the workload or a tunnel binds a port on this host).
  virtual bool NeedsHostPort() const = 0;

  // Starts the workload and returns once the platform reports it running.
  // Errors: INVALID_ARGUMENT (bad option), FAILED_PRECONDITION (image or
  // credentials missing), UNAVAILABLE (platform unreachable),
  // RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED. On error nothing is left running.
  virtual absl::StatusOr<Placement> Launch(
      const LaunchSpec& spec, const ProgressCallback& progress) = 0;

  // Reports the workload's state. A missing workload is kMissing, not an
  // error. Errors: UNAVAILABLE (platform unreachable).
  virtual absl::StatusOr<RuntimeState> Inspect(const Placement& placement) = 0;

  // Stops and removes the workload. A workload already gone is OK.
  // Errors: UNAVAILABLE.
  virtual absl::Status Terminate(const Placement& placement) = 0;

  // The last `tail_lines` lines of the workload's output, unredacted (the
  // caller redacts). Errors: NOT_FOUND, UNAVAILABLE.
  virtual absl::StatusOr<std::string> Logs(const Placement& placement,
                                           int tail_lines) = 0;

  // Inspect for each registry entry of this platform when the server
  // starts: drivers also re-open what does not survive a restart (tunnels)
  // and may update the placement's attributes. One call answers both, so
  // that a restart asks the platform once per entry. Default: Inspect.
  virtual absl::StatusOr<RuntimeState> Reattach(Placement& placement) {
    return Inspect(placement);
  }

  // Every workload this server instance started that still exists on the
  // platform, so that the server can report those its registry lacks.
  // Default: the platform cannot tell (an empty list). Errors: UNAVAILABLE.
  virtual absl::StatusOr<std::vector<OwnedWorkload>> ListOwned() {
    return std::vector<OwnedWorkload>();
  }
};

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_PLATFORM_H_
