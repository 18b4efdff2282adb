#include "platforms/slurm/node_ports.h"

namespace tao::platforms::slurm {

std::vector<int> PickNodePorts(int min_port, int max_port,
                               const std::set<int>& taken, int count,
                               std::mt19937& random) {
  std::vector<int> picked;
  if (max_port < min_port || count <= 0) return picked;
  std::uniform_int_distribution<int> port(min_port, max_port);
  std::set<int> used = taken;
  const int range = max_port - min_port + 1;
  // Random draws first; a crowded range falls back to a scan.
  for (int tries = 0;
       tries < 20 * count && static_cast<int>(picked.size()) < count; ++tries) {
    int candidate = port(random);
    if (used.insert(candidate).second) picked.push_back(candidate);
  }
  for (int i = 0; i < range && static_cast<int>(picked.size()) < count; ++i) {
    int candidate = min_port + i;
    if (used.insert(candidate).second) picked.push_back(candidate);
  }
  return picked;
}

}  // namespace tao::platforms::slurm
