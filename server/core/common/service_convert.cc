#include "server/core/common/service_convert.h"

#include <string>

namespace tao::core {

namespace v1 = ::tao::inference::v1;

absl::string_view StateName(v1::ServiceState state) {
  switch (state) {
    case v1::SERVICE_STATE_PENDING:
      return "PENDING";
    case v1::SERVICE_STATE_STARTING:
      return "STARTING";
    case v1::SERVICE_STATE_LOADING:
      return "LOADING";
    case v1::SERVICE_STATE_READY:
      return "READY";
    case v1::SERVICE_STATE_FAILED:
      return "FAILED";
    case v1::SERVICE_STATE_STOPPED:
      return "STOPPED";
    default:
      return "UNKNOWN";
  }
}

v1::ServiceState StateFromName(absl::string_view name) {
  for (v1::ServiceState state :
       {v1::SERVICE_STATE_PENDING, v1::SERVICE_STATE_STARTING,
        v1::SERVICE_STATE_LOADING, v1::SERVICE_STATE_READY,
        v1::SERVICE_STATE_FAILED, v1::SERVICE_STATE_STOPPED}) {
    if (StateName(state) == name) return state;
  }
  return v1::SERVICE_STATE_UNKNOWN;
}

v1::Service ToProto(const registry::ServiceEntry& entry,
                    absl::string_view latest_job_id) {
  v1::Service service;
  service.set_job_id(entry.job_id);
  service.set_platform(entry.platform);
  service.set_platform_job_id(entry.platform_job_id);
  service.set_network_arch(entry.network_arch);
  service.set_image(entry.image);
  service.set_host_url(entry.host_url);
  service.set_docker_url(entry.docker_url);
  service.set_host_port(entry.host_port.value_or(0));
  service.set_slurm_node(entry.slurm_node);
  service.set_instance_id(entry.instance_id);
  service.set_namespace_(entry.namespace_);
  service.set_started_at(entry.started_at);
  service.set_state(StateFromName(entry.state));
  service.set_reason(entry.reason);
  service.set_model_path(entry.model_path);
  service.set_num_gpus(entry.num_gpus);
  service.set_latest(!latest_job_id.empty() && latest_job_id == entry.job_id);
  return service;
}

}  // namespace tao::core
