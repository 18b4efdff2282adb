#include "platforms/kubernetes/workload_manifests.h"

#include "absl/strings/str_cat.h"
#include "platforms/kubernetes/object_names.h"

namespace tao::platforms::kubernetes {
namespace {

using json = nlohmann::json;

json Metadata(const WorkloadInputs& in) {
  return {{"name", in.name},
          {"namespace", in.namespace_},
          {"labels", WorkloadLabels(in)},
          {"annotations", {{kAnnotationServerInstance, in.server_instance}}}};
}

// A quantity in bytes, in the binary suffix form the API server prints.
std::string Quantity(int64_t bytes) {
  if (bytes > 0 && bytes % (int64_t{1} << 30) == 0) {
    return absl::StrCat(bytes >> 30, "Gi");
  }
  if (bytes > 0 && bytes % (int64_t{1} << 20) == 0) {
    return absl::StrCat(bytes >> 20, "Mi");
  }
  return absl::StrCat(bytes);
}

json Container(const WorkloadInputs& in) {
  json env = json::array();
  for (const auto& [name, value] : in.env) {
    env.push_back({{"name", name}, {"value", value}});
  }
  json container = {
      {"name", kContainerName},
      {"image", in.image},
      {"command", {"/bin/bash", "-c", in.inner_command}},
      {"env", env},
      {"ports",
       {{{"name", "http"},
         {"containerPort", kServicePort},
         {"protocol", "TCP"}}}},
      {"volumeMounts", {{{"name", "dshm"}, {"mountPath", "/dev/shm"}}}},
  };
  if (!in.secret_env.empty()) {
    container["envFrom"] = {{{"secretRef", {{"name", in.name}}}}};
  }
  if (in.num_gpus > 0) {
    // Extended resources are requested through limits only.
    container["resources"] = {
        {"limits", {{"nvidia.com/gpu", absl::StrCat(in.num_gpus)}}}};
  }
  return container;
}

}  // namespace

json WorkloadLabels(const WorkloadInputs& in) {
  return {{kLabelManagedBy, kManagedByValue},
          {kLabelJobId, LabelValue(in.job_id)},
          {kLabelNetworkArch, LabelValue(in.network_arch)},
          {kLabelServerInstance, LabelValue(in.server_instance)}};
}

json SecretManifest(const WorkloadInputs& in) {
  json data = json::object();
  for (const auto& [name, value] : in.secret_env) data[name] = value;
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", Metadata(in)},
          {"type", "Opaque"},
          {"stringData", data}};
}

json JobManifest(const WorkloadInputs& in) {
  json pod_spec = {
      {"restartPolicy", "Never"},
      {"containers", {Container(in)}},
      {"volumes",
       {{{"name", "dshm"},
         {"emptyDir",
          {{"medium", "Memory"},
           {"sizeLimit", Quantity(in.shm_size_bytes)}}}}}},
  };
  if (!in.image_pull_secret.empty()) {
    pod_spec["imagePullSecrets"] = {{{"name", in.image_pull_secret}}};
  }
  return {{"apiVersion", "batch/v1"},
          {"kind", "Job"},
          {"metadata", Metadata(in)},
          {"spec",
           {{"backoffLimit", 0},
            {"ttlSecondsAfterFinished", in.ttl_seconds_after_finished},
            {"template",
             {{"metadata", {{"labels", WorkloadLabels(in)}}},
              {"spec", pod_spec}}}}}};
}

json ServiceManifest(const WorkloadInputs& in) {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", Metadata(in)},
          {"spec",
           {{"type", in.service_type},
            // The label the Job controller puts on its pods.
            {"selector", {{"job-name", in.name}}},
            {"ports",
             {{{"name", "http"},
               {"port", kServicePort},
               {"targetPort", kServicePort},
               {"protocol", "TCP"}}}}}}};
}

}  // namespace tao::platforms::kubernetes
