// What one SLURM launch asks the scheduler for and how the cluster is
// reached: server defaults from the environment, overridden per Start by
// the request's options.
//
// Server environment (all optional):
//   SLURM_HOSTNAME   login host(s), comma list, the first is used; unset:
//                    the SLURM tools run on this machine (a login node)
//   SLURM_USER, SSH_KEY_PATH, SLURM_SSH_PORT, SLURM_SSH_KNOWN_HOSTS
//                    ssh login user, private key, port and known_hosts
//                    file (set: StrictHostKeyChecking=yes against it)
//   SLURM_TUNNEL_HOST  where tunnels go through; default the login host,
//                    or 127.0.0.1 (this login node's sshd) when local
//   SLURM_PARTITION, SLURM_ACCOUNT   sbatch --partition / --account
//   TAO_SLURM_TIME_LIMIT      sbatch --time (default 04:00:00)
//   TAO_SLURM_CPUS_PER_TASK   sbatch --cpus-per-task (default 16)
//   TAO_SLURM_GRES            "gpu" (default: --gres=gpu:<num_gpus>) or
//                             "none" (no --gres, for GPU-less clusters)
//   TAO_SLURM_RUNTIME         pyxis (default), docker or none
//   TAO_SLURM_CONTAINER_MOUNTS  Pyxis --container-mounts
//   TAO_SLURM_PATH_PREPEND    folders put first on the job's PATH
//   TAO_SLURM_WORK_DIR        per-job folders on the cluster (shared by
//                             login host and nodes); default
//                             ~/.tao-inference/slurm of the login user
//   TAO_SLURM_NODE_PORTS      range the node port is picked from
//                             (default 20000-29999)
#ifndef TAO_PLATFORMS_SLURM_SLURM_SETTINGS_H_
#define TAO_PLATFORMS_SLURM_SLURM_SETTINGS_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platforms/common/ssh/ssh_target.h"

namespace tao::platforms::slurm {

enum class ContainerRuntime { kPyxis, kDocker, kNone };

// "pyxis", "docker" or "none".
absl::string_view RuntimeName(ContainerRuntime runtime);

struct SlurmSettings {
  std::string partition;  // empty: the cluster's default partition
  std::string account;    // empty: the user's default account
  std::string time_limit = "04:00:00";
  int cpus_per_task = 16;
  bool request_gpus = true;  // false: no --gres line at all
  ContainerRuntime runtime = ContainerRuntime::kPyxis;
  std::string container_mounts;
  std::string path_prepend;
  std::string work_dir;  // empty: ~/.tao-inference/slurm on the cluster
  SshTarget login;       // login.host empty: local SLURM tools
  std::string tunnel_host;
  int node_port_min = 20000;
  int node_port_max = 29999;
};

// The environment variables read by SettingsFromEnvironment, by name.
using Environment = std::map<std::string, std::string>;

// This process's values of the variables listed above.
Environment ReadProcessEnvironment();

// Server defaults. Errors: INVALID_ARGUMENT naming the variable.
absl::StatusOr<SlurmSettings> SettingsFromEnvironment(const Environment& env);

// Applies a Start request's options. Keys (aliases after '|'): partition,
// account, time_limit, cpus_per_task|cpus, container_runtime|runtime,
// container_mounts, login_host, user|ssh_user, ssh_key, ssh_port,
// known_hosts, tunnel_host, gres ("gpu"|"none"), path_prepend, work_dir.
// Errors: INVALID_ARGUMENT "slurm.<key>: ..." (unknown keys included).
absl::Status ApplyOptions(const std::map<std::string, std::string>& options,
                          SlurmSettings& settings);

// The host tunnels go through: tunnel_host, else the login host, else
// 127.0.0.1.
std::string EffectiveTunnelHost(const SlurmSettings& settings);

// Saves how the cluster was reached in a Placement's attributes, and reads
// it back, so that a restarted server with other defaults still reaches
// the job.
void StoreAccess(const SlurmSettings& settings,
                 std::map<std::string, std::string>& attributes);
SshTarget LoginFromAttributes(
    const std::map<std::string, std::string>& attributes);
SshTarget TunnelFromAttributes(
    const std::map<std::string, std::string>& attributes);

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_SLURM_SETTINGS_H_
