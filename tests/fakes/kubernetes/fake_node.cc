#include "tests/fakes/kubernetes/fake_node.h"

#include "tests/fakes/kubernetes/pod_state.h"

namespace tao::fakes::kubernetes {

nlohmann::json FakeNodeObject(absl::Time now) {
  const nlohmann::json resources = {{"cpu", "2"},
                                    {"memory", "24Gi"},
                                    {"pods", "110"},
                                    {"nvidia.com/gpu", "8"}};
  const std::string time = Rfc3339(now);
  // Fields and condition wording of a 1.31 kubelet's Node
  // (staging/src/k8s.io/api/core/v1/types.go, pkg/kubelet/nodestatus).
  return {{"kind", "Node"},
          {"apiVersion", "v1"},
          {"metadata",
           {{"name", kNodeName},
            {"labels",
             {{"kubernetes.io/hostname", kNodeName},
              {"kubernetes.io/os", "linux"},
              {"kubernetes.io/arch", "amd64"}}}}},
          {"spec", {{"podCIDR", "10.244.0.0/24"}}},
          {"status",
           {{"addresses",
             {{{"type", "InternalIP"}, {"address", kNodeAddress}},
              {{"type", "Hostname"}, {"address", kNodeName}}}},
            {"capacity", resources},
            {"allocatable", resources},
            {"conditions",
             {{{"type", "Ready"},
               {"status", "True"},
               {"lastHeartbeatTime", time},
               {"lastTransitionTime", time},
               {"reason", "KubeletReady"},
               {"message", "kubelet is posting ready status"}}}},
            {"nodeInfo",
             {{"kubeletVersion", "v1.31.0"},
              {"containerRuntimeVersion", "docker://"},
              {"operatingSystem", "linux"},
              {"architecture", "amd64"}}}}}};
}

}  // namespace tao::fakes::kubernetes
