// Candidate node ports for a job (see batch_script.h for how the job picks
// one of them on its node).
#ifndef TAO_PLATFORMS_SLURM_NODE_PORTS_H_
#define TAO_PLATFORMS_SLURM_NODE_PORTS_H_

#include <random>
#include <set>
#include <vector>

namespace tao::platforms::slurm {

// `count` distinct ports from [min_port, max_port], none in `taken`, in
// random order: random so that jobs started by different servers (or
// before a restart) on one node rarely offer the same ports. Fewer when
// the range has fewer free ports.
std::vector<int> PickNodePorts(int min_port, int max_port,
                               const std::set<int>& taken, int count,
                               std::mt19937& random);

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_NODE_PORTS_H_
