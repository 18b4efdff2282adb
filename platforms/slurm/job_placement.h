// The Placement of a SLURM service and the driver's attributes in it: what
// a launch records once sbatch has answered, adds once the job runs, and
// what Inspect, the tunnel, Logs and Terminate read back (also after a
// restart, from the registry).
#ifndef TAO_PLATFORMS_SLURM_JOB_PLACEMENT_H_
#define TAO_PLATFORMS_SLURM_JOB_PLACEMENT_H_

#include <string>

#include "platforms/common/ssh/tunnel_manager.h"
#include "platforms/platform.h"
#include "platforms/slurm/job_launcher.h"
#include "platforms/slurm/slurm_settings.h"

namespace tao::platforms::slurm {

// An attribute's value; "" (or 0) when absent.
std::string Attribute(const Placement& placement, const std::string& key);
int IntAttribute(const Placement& placement, const std::string& key);

// The tunnel from this host's host_port to the job's node port.
TunnelSpec TunnelOf(const Placement& placement);

// The placement of a job sbatch has accepted: ids, how to reach the login
// host, the job's files and host_url; the node is not known yet.
Placement SubmittedPlacement(const LaunchSpec& spec,
                             const SlurmSettings& settings,
                             const StartedJob& job);

// Adds what is known once the job runs: node, node address and port.
void AddNode(const StartedJob& job, Placement& placement);

// True when the placement lacks the node facts (the launch ended, by a
// restart, before the job ran).
bool LacksNode(const Placement& placement);

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_JOB_PLACEMENT_H_
