#include "tests/fakes/kubernetes/schema.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

// field -> the type of its value: "" for a scalar or anything not
// described, "Type" for an object of that type, "[]Type" for an array.
using Fields = std::map<std::string, std::string>;

// Field lists from staging/src/k8s.io/api/{batch,core}/v1/types.go and
// apimachinery's meta/v1 types.go (json tags).
const std::map<std::string, Fields>& Types() {
  static const auto* types = new std::map<std::string, Fields>{
      {"ObjectMeta",
       {{"name", ""},
        {"generateName", ""},
        {"namespace", ""},
        {"selfLink", ""},
        {"uid", ""},
        {"resourceVersion", ""},
        {"generation", ""},
        {"creationTimestamp", ""},
        {"deletionTimestamp", ""},
        {"deletionGracePeriodSeconds", ""},
        {"labels", ""},
        {"annotations", ""},
        {"ownerReferences", ""},
        {"finalizers", ""},
        {"managedFields", ""}}},
      {"Job",
       {{"apiVersion", ""},
        {"kind", ""},
        {"metadata", "ObjectMeta"},
        {"spec", "JobSpec"},
        {"status", ""}}},
      {"JobSpec",
       {{"parallelism", ""},
        {"completions", ""},
        {"activeDeadlineSeconds", ""},
        {"podFailurePolicy", ""},
        {"successPolicy", ""},
        {"backoffLimit", ""},
        {"backoffLimitPerIndex", ""},
        {"maxFailedIndexes", ""},
        {"selector", ""},
        {"manualSelector", ""},
        {"template", "PodTemplateSpec"},
        {"ttlSecondsAfterFinished", ""},
        {"completionMode", ""},
        {"suspend", ""},
        {"podReplacementPolicy", ""},
        {"managedBy", ""}}},
      {"PodTemplateSpec", {{"metadata", "ObjectMeta"}, {"spec", "PodSpec"}}},
      {"Pod",
       {{"apiVersion", ""},
        {"kind", ""},
        {"metadata", "ObjectMeta"},
        {"spec", "PodSpec"},
        {"status", ""}}},
      {"PodSpec",
       {{"volumes", "[]Volume"},
        {"initContainers", "[]Container"},
        {"containers", "[]Container"},
        {"ephemeralContainers", ""},
        {"restartPolicy", ""},
        {"terminationGracePeriodSeconds", ""},
        {"activeDeadlineSeconds", ""},
        {"dnsPolicy", ""},
        {"nodeSelector", ""},
        {"serviceAccountName", ""},
        {"serviceAccount", ""},
        {"automountServiceAccountToken", ""},
        {"nodeName", ""},
        {"hostNetwork", ""},
        {"hostPID", ""},
        {"hostIPC", ""},
        {"shareProcessNamespace", ""},
        {"securityContext", ""},
        {"imagePullSecrets", "[]LocalObjectReference"},
        {"hostname", ""},
        {"subdomain", ""},
        {"affinity", ""},
        {"schedulerName", ""},
        {"tolerations", ""},
        {"hostAliases", ""},
        {"priorityClassName", ""},
        {"priority", ""},
        {"dnsConfig", ""},
        {"readinessGates", ""},
        {"runtimeClassName", ""},
        {"enableServiceLinks", ""},
        {"preemptionPolicy", ""},
        {"overhead", ""},
        {"topologySpreadConstraints", ""},
        {"setHostnameAsFQDN", ""},
        {"os", ""},
        {"hostUsers", ""},
        {"schedulingGates", ""},
        {"resourceClaims", ""},
        {"resources", "ResourceRequirements"}}},
      {"Container",
       {{"name", ""},
        {"image", ""},
        {"command", ""},
        {"args", ""},
        {"workingDir", ""},
        {"ports", "[]ContainerPort"},
        {"envFrom", "[]EnvFromSource"},
        {"env", "[]EnvVar"},
        {"resources", "ResourceRequirements"},
        {"resizePolicy", ""},
        {"restartPolicy", ""},
        {"volumeMounts", "[]VolumeMount"},
        {"volumeDevices", ""},
        {"livenessProbe", ""},
        {"readinessProbe", ""},
        {"startupProbe", ""},
        {"lifecycle", ""},
        {"terminationMessagePath", ""},
        {"terminationMessagePolicy", ""},
        {"imagePullPolicy", ""},
        {"securityContext", ""},
        {"stdin", ""},
        {"stdinOnce", ""},
        {"tty", ""}}},
      {"ContainerPort",
       {{"name", ""},
        {"hostPort", ""},
        {"containerPort", ""},
        {"protocol", ""},
        {"hostIP", ""}}},
      {"EnvVar", {{"name", ""}, {"value", ""}, {"valueFrom", ""}}},
      {"EnvFromSource",
       {{"prefix", ""},
        {"configMapRef", ""},
        {"secretRef", "SecretEnvSource"}}},
      {"SecretEnvSource", {{"name", ""}, {"optional", ""}}},
      {"LocalObjectReference", {{"name", ""}}},
      {"ResourceRequirements",
       {{"limits", ""}, {"requests", ""}, {"claims", ""}}},
      {"VolumeMount",
       {{"name", ""},
        {"readOnly", ""},
        {"recursiveReadOnly", ""},
        {"mountPath", ""},
        {"subPath", ""},
        {"mountPropagation", ""},
        {"subPathExpr", ""}}},
      {"Volume",
       {{"name", ""},
        {"hostPath", ""},
        {"emptyDir", "EmptyDirVolumeSource"},
        {"gcePersistentDisk", ""},
        {"awsElasticBlockStore", ""},
        {"gitRepo", ""},
        {"secret", ""},
        {"nfs", ""},
        {"iscsi", ""},
        {"glusterfs", ""},
        {"persistentVolumeClaim", ""},
        {"rbd", ""},
        {"flexVolume", ""},
        {"cinder", ""},
        {"cephfs", ""},
        {"flocker", ""},
        {"downwardAPI", ""},
        {"fc", ""},
        {"azureFile", ""},
        {"configMap", ""},
        {"vsphereVolume", ""},
        {"quobyte", ""},
        {"azureDisk", ""},
        {"photonPersistentDisk", ""},
        {"projected", ""},
        {"portworxVolume", ""},
        {"scaleIO", ""},
        {"storageos", ""},
        {"csi", ""},
        {"ephemeral", ""},
        {"image", ""}}},
      {"EmptyDirVolumeSource", {{"medium", ""}, {"sizeLimit", ""}}},
      {"Service",
       {{"apiVersion", ""},
        {"kind", ""},
        {"metadata", "ObjectMeta"},
        {"spec", "ServiceSpec"},
        {"status", ""}}},
      {"ServiceSpec",
       {{"ports", "[]ServicePort"},
        {"selector", ""},
        {"clusterIP", ""},
        {"clusterIPs", ""},
        {"type", ""},
        {"externalIPs", ""},
        {"sessionAffinity", ""},
        {"loadBalancerIP", ""},
        {"loadBalancerSourceRanges", ""},
        {"externalName", ""},
        {"externalTrafficPolicy", ""},
        {"healthCheckNodePort", ""},
        {"publishNotReadyAddresses", ""},
        {"sessionAffinityConfig", ""},
        {"ipFamilies", ""},
        {"ipFamilyPolicy", ""},
        {"allocateLoadBalancerNodePorts", ""},
        {"loadBalancerClass", ""},
        {"internalTrafficPolicy", ""},
        {"trafficDistribution", ""}}},
      {"ServicePort",
       {{"name", ""},
        {"protocol", ""},
        {"appProtocol", ""},
        {"port", ""},
        {"targetPort", ""},
        {"nodePort", ""}}},
      {"Secret",
       {{"apiVersion", ""},
        {"kind", ""},
        {"metadata", "ObjectMeta"},
        {"immutable", ""},
        {"data", ""},
        {"stringData", ""},
        {"type", ""}}},
      {"DeleteOptions",
       {{"apiVersion", ""},
        {"kind", ""},
        {"gracePeriodSeconds", ""},
        {"preconditions", ""},
        {"orphanDependents", ""},
        {"propagationPolicy", ""},
        {"dryRun", ""},
        {"ignoreStoreReadErrorWithClusterBreakingPotential", ""}}},
  };
  return *types;
}

void Walk(const std::string& type, const json& value, const std::string& prefix,
          std::vector<std::string>* unknown) {
  auto found = Types().find(type);
  if (found == Types().end() || !value.is_object()) return;
  for (const auto& [key, child] : value.items()) {
    std::string path = prefix.empty() ? key : absl::StrCat(prefix, ".", key);
    auto field = found->second.find(key);
    if (field == found->second.end()) {
      unknown->push_back(path);
      continue;
    }
    const std::string& child_type = field->second;
    if (child_type.empty()) continue;
    if (child_type.rfind("[]", 0) == 0) {
      if (!child.is_array()) continue;
      for (size_t i = 0; i < child.size(); ++i) {
        Walk(child_type.substr(2), child[i], absl::StrCat(path, "[", i, "]"),
             unknown);
      }
    } else {
      Walk(child_type, child, path, unknown);
    }
  }
}

}  // namespace

std::vector<std::string> UnknownFields(const std::string& type,
                                       const json& object) {
  std::vector<std::string> unknown;
  Walk(type, object, "", &unknown);
  return unknown;
}

}  // namespace tao::fakes::kubernetes
