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

bool SamePlacement(const platforms::Placement& a,
                   const platforms::Placement& b) {
  return a.job_id == b.job_id && a.host_url == b.host_url &&
         a.docker_url == b.docker_url && a.host_port == b.host_port &&
         a.platform_job_id == b.platform_job_id &&
         a.slurm_node == b.slurm_node && a.instance_id == b.instance_id &&
         a.namespace_ == b.namespace_ && a.attributes == b.attributes;
}

void FillMissing(const platforms::Placement& from, platforms::Placement& into) {
  auto fill = [](const std::string& value, std::string& field) {
    if (field.empty()) field = value;
  };
  fill(from.job_id, into.job_id);
  fill(from.host_url, into.host_url);
  fill(from.docker_url, into.docker_url);
  if (into.host_port == 0) into.host_port = from.host_port;
  fill(from.platform_job_id, into.platform_job_id);
  fill(from.slurm_node, into.slurm_node);
  fill(from.instance_id, into.instance_id);
  fill(from.namespace_, into.namespace_);
  into.attributes.insert(from.attributes.begin(), from.attributes.end());
}

}  // namespace tao::core
