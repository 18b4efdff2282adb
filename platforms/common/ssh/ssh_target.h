// An ssh destination with its credentials, shared by every driver that
// reaches its platform over ssh (SLURM login hosts, Brev instances) and by
// the tunnels to services behind them.
#ifndef TAO_PLATFORMS_COMMON_SSH_SSH_TARGET_H_
#define TAO_PLATFORMS_COMMON_SSH_SSH_TARGET_H_

#include <string>
#include <vector>

namespace tao::platforms {

struct SshTarget {
  // An alias of `config_file` (a Brev instance's name) or a host name;
  // empty: no ssh, run on this machine.
  std::string host;
  std::string user;         // empty: ssh's default
  std::string key_path;     // empty: ssh's default identities
  int port = 0;             // 0: ssh's default
  std::string known_hosts;  // empty: ssh's default files
  // ssh -F: the only config file read (the one `brev refresh` writes),
  // with its connection sharing turned off; empty: ssh's default
  // (~/.ssh/config).
  std::string config_file;
};

// `ssh` and its options for `target` (config file, BatchMode, key, port,
// user, pinned known_hosts), without the destination host.
std::vector<std::string> SshOptions(const SshTarget& target);

// "user@host" or "host", for messages.
std::string SshDestination(const SshTarget& target);

}  // namespace tao::platforms

#endif  // TAO_PLATFORMS_COMMON_SSH_SSH_TARGET_H_
