// The ssh commands behind exec and port-forward, run by the real ssh with
// the ssh_config refresh wrote, against the real sshd (brev-cli.md §5, §6):
//
//   exec:         ssh -F CFG -T -o ConnectTimeout=N -o LogLevel=ERROR ALIAS CMD
//   ssh probe:    ssh -F CFG -o ConnectTimeout=10 ALIAS echo " "
//   port-forward: ssh -F CFG -i KEY -T -L L:127.0.0.1:R ALIAS -N
//
// brev runs exec through `bash -c "<agent> && ssh ... '<cmd>'"` with every
// ' escaped; that hands ssh the command unchanged, which the fake does
// directly. It does not start the ssh-agent brev starts when SSH_AUTH_SOCK
// is unset (calls.jsonl records whether it was set). -F is added because
// tests fake $HOME and ssh reads ~/.ssh/config from the passwd home.
//
// An instance that is not RUNNING has no machine to reach: its ssh goes to
// a port that refuses connections, so a stale Host block fails the way a
// stopped machine does. The Host block's ControlMaster auto and
// ControlPersist 10m take effect as in real brev: the first ssh leaves a
// master in the background, later ones ride on it.
#ifndef TAO_TESTS_FAKES_BREV_INSTANCE_SSH_H_
#define TAO_TESTS_FAKES_BREV_INSTANCE_SSH_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"
#include "tests/fakes/brev/call_log.h"
#include "tests/fakes/brev/knobs.h"

namespace tao::fakes::brev {

class InstanceSsh {
 public:
  InstanceSsh(const Knobs& knobs, const CallLog& log)
      : knobs_(knobs), log_(log) {}

  // Runs `command` on `alias` with the caller's stdout and stderr; returns
  // ssh's exit code (255 when it could not connect). `reachable` false
  // sends it to a refusing port. FAKE_BREV_INSTANCE_DOCKER_HOST, when set,
  // is exported before the command.
  int Exec(const std::string& alias, const std::string& command,
           int connect_timeout_s, bool reachable) const;

  // One "is ssh up" probe, output discarded (unverified: brev's
  // WaitForSSHToBeAvailable shows a spinner and no ssh output).
  bool Probe(const std::string& alias, bool reachable) const;

  // Starts the port-forward ssh with brev's stdio and returns its pid. It
  // forwards to the instance's `loopback` (instance_machine.h) where brev
  // forwards to 127.0.0.1.
  absl::StatusOr<pid_t> StartForward(const std::string& alias,
                                     const std::string& loopback,
                                     const std::string& local_port,
                                     const std::string& remote_port) const;

  // Removes the forward from the control master, if one holds it.
  void CancelForward(const std::string& alias, const std::string& loopback,
                     int local_port, int remote_port) const;
  // Ends the control master of `alias` (what the machine going away does).
  void StopMaster(const std::string& alias) const;

 private:
  const Knobs& knobs_;
  const CallLog& log_;
};

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_INSTANCE_SSH_H_
