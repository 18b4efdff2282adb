// Each fake instance stands for a machine of its own, yet all of them are
// the one sshd of scripts/sshd-up on this host's loopback in front of one
// Docker engine. So that the same port on two instances does not collide
// (brev-cli.md §9, "port collision"), an instance's 127.0.0.1 is modelled by
// an address of its own in 127.0.0.0/8, taken from its id:
// - its Host blocks send FAKE_BREV_LOOPBACK=<address> (sshd-up accepts it,
//   and its sessions' PATH starts with kMachineDir, where this file's
//   `docker` wrapper is);
// - the wrapper publishes a port asked for on 127.0.0.1, 0.0.0.0 or every
//   address (`-p H:C`) on that address instead, so `docker port` on the
//   instance tells where it is;
// - the wrapper labels the containers it runs with that address and `docker
//   ps` lists only those, as if each instance had its own engine;
// - `brev port-forward` forwards to that address where brev forwards to
//   127.0.0.1.
// Not brev's behaviour: a fake of separate machines on one host.
#ifndef TAO_TESTS_FAKES_BREV_INSTANCE_MACHINE_H_
#define TAO_TESTS_FAKES_BREV_INSTANCE_MACHINE_H_

#include <string>

#include "absl/status/status.h"

namespace tao::fakes::brev {

// 127.a.b.c from a hash of `instance_id`, never in 127.0.0.0/24.
std::string InstanceLoopback(const std::string& instance_id);

// scripts/sshd-up puts it first on its sessions' PATH.
inline constexpr char kMachineDir[] = "/tmp/tao-fake-brev-machine";

// Writes the wrapper (world-readable: the sshd login user runs it) into
// kMachineDir unless it is there already. INTERNAL when it cannot.
absl::Status WriteMachineFiles();

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_INSTANCE_MACHINE_H_
