#include "server/core/placement.h"

namespace tao::core {

void StorePlacement(const platforms::Placement& placement,
                    registry::ServiceEntry& entry) {
  entry.host_url = placement.host_url;
  entry.docker_url = placement.docker_url;
  if (placement.host_port > 0) entry.host_port = placement.host_port;
  entry.platform_job_id = placement.platform_job_id;
  entry.slurm_node = placement.slurm_node;
  entry.instance_id = placement.instance_id;
  entry.namespace_ = placement.namespace_;
  entry.platform_data = placement.attributes;
}

platforms::Placement PlacementOf(const registry::ServiceEntry& entry) {
  platforms::Placement placement;
  placement.job_id = entry.job_id;
  placement.host_url = entry.host_url;
  placement.docker_url = entry.docker_url;
  placement.host_port = entry.host_port.value_or(0);
  placement.platform_job_id = entry.platform_job_id;
  placement.slurm_node = entry.slurm_node;
  placement.instance_id = entry.instance_id;
  placement.namespace_ = entry.namespace_;
  placement.attributes = entry.platform_data;
  return placement;
}

}  // namespace tao::core
