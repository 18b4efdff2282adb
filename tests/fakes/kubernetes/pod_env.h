// What a kubelet resolves before it starts a pod's first container: its
// environment from envFrom (secretRef, configMapRef is not modelled) and
// env (value, valueFrom.secretKeyRef), with Secret data decoded.
#ifndef TAO_TESTS_FAKES_KUBERNETES_POD_ENV_H_
#define TAO_TESTS_FAKES_KUBERNETES_POD_ENV_H_

#include <functional>
#include <string>

#include "nlohmann/json.hpp"
#include "tests/fakes/kubernetes/pod_runner.h"

namespace tao::fakes::kubernetes {

// `secret(name)`: the Secret of that name in the pod's namespace, or null.
// A missing Secret or key (unless marked optional) sets config_error with
// the kubelet's message (`secret "x" not found`,
// `couldn't find key K in Secret NS/X`).
PodLaunch ResolvePodLaunch(
    const nlohmann::json& pod,
    const std::function<const nlohmann::json*(const std::string&)>& secret);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_POD_ENV_H_
