// What stopping or deleting an instance does to what it ran: its machine
// goes away, so the containers exec commands started on it are removed
// (by name, through the Docker Engine API; never a pattern), its recorded
// port-forward ssh processes are killed (by pid, checked by start time) and
// their forwards are cancelled in the control master that may hold them
// (the Host block's ControlPersist hands forwards to a background master).
// When no instance runs any more the master itself is ended, as a real
// machine's death ends its ssh sessions (there after ServerAliveInterval
// timeouts, here at once).
#ifndef TAO_TESTS_FAKES_BREV_INSTANCE_TEARDOWN_H_
#define TAO_TESTS_FAKES_BREV_INSTANCE_TEARDOWN_H_

#include <string>
#include <vector>

#include "tests/fakes/brev/call_log.h"
#include "tests/fakes/brev/instance_state.h"
#include "tests/fakes/brev/knobs.h"

namespace tao::fakes::brev {

// What to take down, copied out of the state so that it happens after the
// state lock is released (engine calls take time).
struct Teardown {
  std::string name;
  std::vector<std::string> containers;
  std::vector<PortForward> port_forwards;
  std::string loopback;  // the instance's (instance_machine.h)
};

// Copies what `instance` runs and forgets it in the state.
Teardown TakeTeardown(Instance& instance);

// Does it; failures (an engine that does not answer) go to events.jsonl.
void RunTeardown(const Teardown& teardown, const Knobs& knobs,
                 const CallLog& log);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_INSTANCE_TEARDOWN_H_
