// The instance types the fake offers, standing in for brev's type search
// (`brev gpus`): a few real cloud type names with their GPU. Not verified
// against Brev's catalogue, which changes; only the shape matters.
#ifndef TAO_TESTS_FAKES_BREV_INSTANCE_TYPES_H_
#define TAO_TESTS_FAKES_BREV_INSTANCE_TYPES_H_

#include <string>
#include <vector>

namespace tao::fakes::brev {

struct InstanceType {
  std::string type;  // "g6e.xlarge"
  std::string gpu;   // "L40S"; "-" for a CPU type
  std::string kind;  // "gpu" or "cpu"
};

const std::vector<InstanceType>& InstanceTypes();

// The type called `type`; nullptr when the fake has none.
const InstanceType* FindInstanceType(const std::string& type);

// What create picks with no type and no filter (the reference: the
// cheapest with >= 20 GB VRAM, >= 500 GB disk, capability >= 8.0).
const InstanceType& DefaultInstanceType();

// The types whose GPU is `gpu_name` (case-insensitive), in catalogue order.
std::vector<InstanceType> TypesWithGpu(const std::string& gpu_name);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_INSTANCE_TYPES_H_
