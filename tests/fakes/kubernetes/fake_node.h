// The fake cluster's one node: where every pod is scheduled, the address
// node ports listen on, and what `kubectl get nodes` shows.
#ifndef TAO_TESTS_FAKES_KUBERNETES_FAKE_NODE_H_
#define TAO_TESTS_FAKES_KUBERNETES_FAKE_NODE_H_

#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace tao::fakes::kubernetes {

inline constexpr char kNodeName[] = "fake-node";
// Its InternalIP: pods run on this machine's Docker engine.
inline constexpr char kNodeAddress[] = "127.0.0.1";

// The Node object (status.addresses, capacity with 8 nvidia.com/gpu that
// are advertised only: the Docker runner attaches none, conditions Ready).
nlohmann::json FakeNodeObject(absl::Time now);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_FAKE_NODE_H_
