// The "slurm" platform (spec §6.4): each service is one SLURM batch job on
// one node, submitted with sbatch locally (the server runs on a login node)
// or over ssh on a login host, and reached through an ssh tunnel
//   localhost:<host_port> -> <node>:<node_port>
// from this host. Settings and their environment defaults: slurm_settings.h;
// the batch script and how the node port is chosen: batch_script.h;
// tunnels: tunnel_manager.h.
//
// Placement: platform_job_id (SLURM job id), slurm_node, host_port,
// host_url http://localhost:<host_port>, and attributes: tunnel_pid,
// node_addr, node_port, job_dir, script_path, output_path, env_path,
// runtime, and how the cluster was reached (login_host, ssh_user, ssh_key,
// ssh_port, ssh_known_hosts, tunnel_host) so that a restarted server with
// other defaults still reaches the job.
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_PLATFORMS_SLURM_SLURM_PLATFORM_H_
#define TAO_PLATFORMS_SLURM_SLURM_PLATFORM_H_

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platforms/common/ssh/tunnel_manager.h"
#include "platforms/platform.h"
#include "platforms/slurm/job_launcher.h"
#include "platforms/slurm/slurm_commands.h"
#include "platforms/slurm/slurm_settings.h"

namespace tao::platforms::slurm {

class SlurmPlatform : public Platform {
 public:
  struct Options {
    // Server defaults; each Start's options override them.
    SlurmSettings defaults;
    // Folder on this host for the tunnels' ssh logs.
    std::string state_dir;
    // Longest a single SLURM command (or ssh round trip) may take.
    absl::Duration command_timeout = absl::Seconds(60);
    PollIntervals poll;
    // Longest ssh may take to open a tunnel.
    absl::Duration tunnel_timeout = absl::Seconds(20);
    // How long Terminate waits for the scheduler to mark the job ended.
    absl::Duration cancel_wait = absl::Seconds(15);
    // Node ports offered to each job (see batch_script.h).
    int node_port_candidates = 3;
  };

  // Defaults from this process's environment (slurm_settings.h), state_dir
  // from TAO_SLURM_STATE_DIR (default /tmp/tao-slurm-tunnels-<uid>).
  // Errors: INVALID_ARGUMENT naming a malformed variable.
  static absl::StatusOr<Options> OptionsFromEnvironment();

  // Errors: INVALID_ARGUMENT for an empty state_dir.
  static absl::StatusOr<std::unique_ptr<SlurmPlatform>> Create(Options options);

  absl::string_view name() const override { return "slurm"; }
  absl::string_view execution_backend() const override { return "slurm"; }
  // The tunnel's local end binds a port of this host.
  std::string HostPortScope(const LaunchSpec&) const override {
    return std::string(kThisHostPortScope);
  }
  // The keys of ApplyOptions (slurm_settings.h) over the server defaults,
  // named slurm.<key> in errors.
  absl::Status ValidateOptions(
      const std::map<std::string, std::string>& options) const override;

  // Errors as documented in platform.h; pending past spec.deadline is
  // DEADLINE_EXCEEDED with the scheduler's reason. On error the job is
  // cancelled, its secret file removed and its tunnel closed.
  absl::StatusOr<Placement> Launch(const LaunchSpec& spec,
                                   const ProgressCallback& progress) override;
  // The scheduler's state. Side effect: an ended job's tunnel is closed;
  // nothing is opened. Errors: UNAVAILABLE (login host or slurmctld
  // unreachable).
  absl::StatusOr<RuntimeState> Inspect(const Placement& placement) override;
  // Inspect, and a running job's tunnel is adopted (the recorded pid, when
  // it is that tunnel) or re-opened; attributes["tunnel_pid"] gets its pid.
  // Also what Reattach does at startup. Errors: those of Inspect;
  // UNAVAILABLE when the tunnel cannot be opened.
  absl::StatusOr<RuntimeState> EnsureReachable(Placement& placement) override;
  // scancel (a job already gone is OK), waits until the scheduler marks it
  // ended, closes the tunnel. Errors: UNAVAILABLE.
  absl::Status Terminate(const Placement& placement) override;
  // Tail of the job's output file (stdout and stderr).
  absl::StatusOr<std::string> Logs(const Placement& placement,
                                   int tail_lines) override;
  // The jobs of squeue --me (one call) whose comment (JobComment,
  // batch_script.h) names `server_instance`: placement with job_id,
  // platform_job_id and slurm_node. Errors: UNAVAILABLE.
  absl::StatusOr<std::vector<OwnedWorkload>> ListOwned(
      absl::string_view server_instance) override;

 private:
  explicit SlurmPlatform(Options options);

  // Node ports to offer a new job, reserved until ReleasePorts.
  std::vector<int> ReservePorts(const SlurmSettings& settings)
      ABSL_LOCKS_EXCLUDED(mu_);
  void ReleasePorts(const std::vector<int>& ports) ABSL_LOCKS_EXCLUDED(mu_);
  // Ensures the tunnel of a running job; returns its pid.
  absl::StatusOr<pid_t> EnsureTunnel(const Placement& placement);
  // Inspect; with `repair`, a running job's missing node facts are found
  // (FindNode) and its tunnel re-opened, updating `placement`.
  absl::StatusOr<RuntimeState> InspectJob(Placement& placement, bool repair);
  // Reads the node port the running `job` wrote and its node's address
  // into `placement`; false while the job has not written the port yet.
  absl::StatusOr<bool> FindNode(const SlurmCommands& commands,
                                const JobInfo& job, Placement& placement);

  const Options options_;
  TunnelManager tunnels_;
  absl::Mutex mu_;
  std::set<int> reserved_ports_ ABSL_GUARDED_BY(mu_);
  std::mt19937 random_ ABSL_GUARDED_BY(mu_);
};

// The driver with the settings of OptionsFromEnvironment(), for
// RegisterBuiltinPlatforms.
absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment();

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_SLURM_PLATFORM_H_
