#include "tests/fakes/brev/instance_teardown.h"

#include <memory>

#include "tests/fakes/brev/child_process.h"
#include "tests/fakes/brev/instance_machine.h"
#include "tests/fakes/brev/instance_ssh.h"
#include "tests/fakes/common/docker_containers.h"

namespace tao::fakes::brev {

Teardown TakeTeardown(Instance& instance) {
  Teardown teardown;
  teardown.name = instance.name;
  teardown.containers.swap(instance.containers);
  teardown.port_forwards.swap(instance.port_forwards);
  teardown.loopback = InstanceLoopback(instance.id);
  return teardown;
}

void RunTeardown(const Teardown& teardown, const Knobs& knobs,
                 const CallLog& log) {
  const InstanceSsh ssh(knobs, log);
  for (const PortForward& forward : teardown.port_forwards) {
    const bool was_running =
        IsSameProcessRunning(forward.pid, forward.start_ticks);
    KillProcess(forward.pid, forward.start_ticks);
    ssh.CancelForward(forward.alias, teardown.loopback, forward.local_port,
                      forward.remote_port);
    log.RecordEvent({{"event", "port_forward_stopped"},
                     {"instance", teardown.name},
                     {"ssh_pid", forward.pid},
                     {"was_running", was_running},
                     {"local_port", forward.local_port}});
  }
  // Each alias has a master of its own (ssh_files.h).
  ssh.StopMaster(teardown.name);
  ssh.StopMaster(teardown.name + "-host");

  if (teardown.containers.empty()) return;
  absl::StatusOr<std::unique_ptr<DockerContainers>> docker =
      DockerContainers::Connect(knobs.docker_host);
  for (const std::string& container : teardown.containers) {
    absl::Status removed =
        docker.ok() ? (*docker)->Remove(container) : docker.status();
    log.RecordEvent({{"event", "container_removed"},
                     {"instance", teardown.name},
                     {"container", container},
                     {"ok", removed.ok()},
                     {"error", std::string(removed.message())}});
  }
}

}  // namespace tao::fakes::brev
