#include "platforms/slurm/job_placement.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tao::platforms::slurm {

std::string Attribute(const Placement& placement, const std::string& key) {
  auto it = placement.attributes.find(key);
  return it == placement.attributes.end() ? std::string() : it->second;
}

int IntAttribute(const Placement& placement, const std::string& key) {
  int value = 0;
  return absl::SimpleAtoi(Attribute(placement, key), &value) ? value : 0;
}

TunnelSpec TunnelOf(const Placement& placement) {
  TunnelSpec spec;
  spec.via = TunnelFromAttributes(placement.attributes);
  spec.host_port = placement.host_port;
  spec.node_addr = Attribute(placement, "node_addr");
  spec.node_port = IntAttribute(placement, "node_port");
  return spec;
}

Placement SubmittedPlacement(const LaunchSpec& spec,
                             const SlurmSettings& settings,
                             const StartedJob& job) {
  Placement placement;
  placement.job_id = spec.job_id;
  placement.host_port = spec.host_port;
  placement.host_url = absl::StrCat("http://localhost:", spec.host_port);
  placement.platform_job_id = job.slurm_job_id;
  StoreAccess(settings, placement.attributes);
  placement.attributes["job_dir"] = job.job_dir;
  placement.attributes["script_path"] = job.files.script;
  placement.attributes["output_path"] = job.files.output;
  placement.attributes["env_path"] = job.files.env;
  placement.attributes["runtime"] = std::string(RuntimeName(settings.runtime));
  return placement;
}

void AddNode(const StartedJob& job, Placement& placement) {
  placement.slurm_node = job.node;
  placement.attributes["node_addr"] = job.node_addr;
  placement.attributes["node_port"] = absl::StrCat(job.node_port);
}

bool LacksNode(const Placement& placement) {
  return Attribute(placement, "node_addr").empty() ||
         IntAttribute(placement, "node_port") <= 0;
}

}  // namespace tao::platforms::slurm
