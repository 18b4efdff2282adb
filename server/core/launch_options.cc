#include "server/core/launch_options.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/core/common/errors.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;

// Adds `value` under `key` when set.
void Put(std::map<std::string, std::string>& out, const std::string& key,
         const std::string& value) {
  if (!value.empty()) out[key] = value;
}

void PutInt(std::map<std::string, std::string>& out, const std::string& key,
            int value) {
  if (value != 0) out[key] = absl::StrCat(value);
}

// The platform a oneof case belongs to, and its field name.
struct Case {
  const char* platform;
  const char* field;
};

Case CaseOf(v1::StartRequest::PlatformOptionsCase c) {
  switch (c) {
    case v1::StartRequest::kDocker:
      return {"local-docker", "docker"};
    case v1::StartRequest::kBrev:
      return {"brev", "brev"};
    case v1::StartRequest::kLepton:
      return {"lepton", "lepton"};
    case v1::StartRequest::kSlurm:
      return {"slurm", "slurm"};
    case v1::StartRequest::kKubernetes:
      return {"kubernetes", "kubernetes"};
    default:
      return {"", ""};
  }
}

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> LaunchOptions(
    const v1::StartRequest& request) {
  std::map<std::string, std::string> out;
  const auto which = request.platform_options_case();
  if (which == v1::StartRequest::PLATFORM_OPTIONS_NOT_SET) return out;
  Case c = CaseOf(which);
  if (request.platform() != c.platform) {
    return InvalidField(
        c.field,
        absl::StrCat("options for platform ", c.platform,
                     " were sent with platform \"", request.platform(), "\""));
  }
  switch (which) {
    case v1::StartRequest::kDocker: {
      const auto& o = request.docker();
      Put(out, "bind_address", o.bind_address());
      Put(out, "network", o.network());
      if (o.gpu_device_ids_size() > 0) {
        out["gpu_device_ids"] = absl::StrJoin(o.gpu_device_ids(), ",");
      }
      break;
    }
    case v1::StartRequest::kBrev: {
      const auto& o = request.brev();
      Put(out, "instance_id", o.instance_id());
      Put(out, "cloud_cred_id", o.cloud_cred_id());
      Put(out, "workspace_group_id", o.workspace_group_id());
      Put(out, "gpu", o.gpu());
      break;
    }
    case v1::StartRequest::kLepton: {
      const auto& o = request.lepton();
      Put(out, "resource_shape", o.resource_shape());
      Put(out, "dedicated_node_group", o.dedicated_node_group());
      break;
    }
    case v1::StartRequest::kSlurm: {
      const auto& o = request.slurm();
      Put(out, "partition", o.partition());
      Put(out, "account", o.account());
      Put(out, "time_limit", o.time_limit());
      PutInt(out, "cpus_per_task", o.cpus_per_task());
      Put(out, "login_host", o.login_host());
      Put(out, "user", o.user());
      Put(out, "container_runtime", o.container_runtime());
      Put(out, "container_mounts", o.container_mounts());
      break;
    }
    case v1::StartRequest::kKubernetes: {
      const auto& o = request.kubernetes();
      Put(out, "namespace", o.namespace_());
      Put(out, "image_pull_secret", o.image_pull_secret());
      Put(out, "service_type", o.service_type());
      break;
    }
    default:
      break;
  }
  return out;
}

}  // namespace tao::core
