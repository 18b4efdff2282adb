// What `brev refresh` writes (brev-cli.md §1; ssh/sshconfigurer.go):
// ~/.brev/brev.pem (here a copy of the sshd-up client key, 0600),
// ~/.brev/ssh_config with "# included in ~/.ssh/config" and a Host block per
// RUNNING instance plus one for NAME-host (template SSHConfigEntryTemplateV3,
// the no-proxy form), and the Include line prepended to ~/.ssh/config when
// it is missing. Both Host blocks lead to the same sshd.
//
// Paths are absolute under $HOME: ssh expands "~" from the passwd home, not
// $HOME, and tests fake $HOME. So ControlPath is HOME/.ssh/brev-control-%n
// where brev writes ~/.ssh/brev-control-%C (see HostBlock).
#ifndef TAO_TESTS_FAKES_BREV_SSH_FILES_H_
#define TAO_TESTS_FAKES_BREV_SSH_FILES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/fakes/brev/sshd_backing.h"

namespace tao::fakes::brev {

struct BrevSshPaths {
  std::string config;       // HOME/.brev/ssh_config
  std::string key;          // HOME/.brev/brev.pem
  std::string user_config;  // HOME/.ssh/config
  std::string control_dir;  // HOME/.ssh (the ControlPath's folder)
};
BrevSshPaths SshPathsFor(const std::string& home);

// The Host block for `alias` on an instance whose loopback is `loopback`
// (instance_machine.h).
// Beyond brev's template: its ControlPath is the alias (%n, short enough
// for a socket path with ssh's temporary suffix), because
// here every instance has the same address, port and user, so %C alone
// would make them share one ssh master (and its environment); and it sends
// the instance's SetEnv.
std::string HostBlock(const std::string& alias, const std::string& home,
                      const SshdBacking& sshd, const std::string& loopback);

struct RunningInstance {
  std::string name;
  std::string id;
};

// Rewrites the files for `running`. `sshd` may be null
// when nothing runs (then only the header and the Include line are
// written). INTERNAL naming the file on a write error.
absl::Status WriteBrevSshFiles(const std::string& home,
                               const std::vector<RunningInstance>& running,
                               const SshdBacking* sshd);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_SSH_FILES_H_
