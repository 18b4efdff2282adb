#include "tests/fakes/brev/instance_types.h"

#include "absl/strings/match.h"

namespace tao::fakes::brev {

const std::vector<InstanceType>& InstanceTypes() {
  static const std::vector<InstanceType> types = {
      {"g6e.xlarge", "L40S", "gpu"},  {"g5.xlarge", "A10G", "gpu"},
      {"g4dn.xlarge", "T4", "gpu"},   {"p4d.24xlarge", "A100", "gpu"},
      {"p5.48xlarge", "H100", "gpu"}, {"n2-standard-4", "-", "cpu"}};
  return types;
}

const InstanceType* FindInstanceType(const std::string& type) {
  for (const InstanceType& candidate : InstanceTypes()) {
    if (candidate.type == type) return &candidate;
  }
  return nullptr;
}

const InstanceType& DefaultInstanceType() { return InstanceTypes()[0]; }

std::vector<InstanceType> TypesWithGpu(const std::string& gpu_name) {
  std::vector<InstanceType> found;
  for (const InstanceType& candidate : InstanceTypes()) {
    if (absl::EqualsIgnoreCase(candidate.gpu, gpu_name)) {
      found.push_back(candidate);
    }
  }
  return found;
}

}  // namespace tao::fakes::brev
