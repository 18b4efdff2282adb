// SSH tunnels from this host to services behind an ssh host (a SLURM node
// behind its login host, a port on a Brev instance):
//   ssh -N -L 127.0.0.1:<host_port>:<node_addr>:<node_port> <tunnel host>
// Each tunnel is one ssh process, started with Spawn (its own session) and
// known by its pid only: it is stopped by pid, never by a name pattern. A
// tunnel of an earlier server process is adopted when /proc shows that
// pid running exactly the expected ssh command line.
//
// Thread safety: all methods may be called concurrently; opening a tunnel
// holds the manager's lock (at most open_timeout).
#ifndef TAO_PLATFORMS_COMMON_SSH_TUNNEL_MANAGER_H_
#define TAO_PLATFORMS_COMMON_SSH_TUNNEL_MANAGER_H_

#include <sys/types.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platforms/common/ssh/ssh_target.h"

namespace tao::platforms {

struct TunnelSpec {
  SshTarget via;  // the host the tunnel goes through, with credentials
  int host_port = 0;
  // The address and port behind the tunnel, as the tunnel host resolves
  // them (a SLURM node's address, or 127.0.0.1 on the instance itself).
  std::string node_addr;
  int node_port = 0;
};

// The ssh argv of a tunnel (argv[0] "ssh").
std::vector<std::string> TunnelArgv(const TunnelSpec& spec);

class TunnelManager {
 public:
  struct Options {
    // Where each tunnel's ssh output goes (<log_dir>/<job_id>.tunnel.log).
    std::string log_dir;
    // How long ssh may take to listen on the host port.
    absl::Duration open_timeout = absl::Seconds(20);
  };

  explicit TunnelManager(Options options) : options_(std::move(options)) {}

  // Returns the pid of a live tunnel for `job_id`: the one this manager
  // runs, else `known_pid` when it is such a tunnel (adopted), else a new
  // one, once it listens on the host port. Errors: UNAVAILABLE with ssh's
  // own message (refused key, unknown host key, port in use, ...).
  absl::StatusOr<pid_t> Ensure(const std::string& job_id,
                               const TunnelSpec& spec, pid_t known_pid = 0)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Stops the tunnel of `job_id` (and `known_pid` when it is that tunnel);
  // nothing running is fine.
  void Close(const std::string& job_id, const TunnelSpec& spec,
             pid_t known_pid = 0) ABSL_LOCKS_EXCLUDED(mu_);

  // Node ports of the tunnels this manager runs (to avoid reusing them).
  std::set<int> NodePorts() const ABSL_LOCKS_EXCLUDED(mu_);

  // True when `pid` is alive and runs exactly TunnelArgv(spec).
  static bool IsTunnelProcess(pid_t pid, const TunnelSpec& spec);

 private:
  struct Tunnel {
    pid_t pid = 0;
    TunnelSpec spec;
    bool spawned = false;  // our child (else adopted from an earlier server)
  };

  absl::StatusOr<pid_t> Open(const std::string& job_id, const TunnelSpec& spec)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  mutable absl::Mutex mu_;
  std::map<std::string, Tunnel> tunnels_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_COMMON_SSH_TUNNEL_MANAGER_H_
