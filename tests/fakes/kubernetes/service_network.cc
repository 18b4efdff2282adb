#include "tests/fakes/kubernetes/service_network.h"

#include "absl/strings/str_cat.h"

namespace tao::fakes::kubernetes {

using json = nlohmann::json;

ServiceNetwork::ServiceNetwork(EndpointLookup lookup)
    : lookup_(std::move(lookup)) {}

ServiceNetwork::~ServiceNetwork() {
  std::map<Key, std::vector<std::unique_ptr<TcpForwarder>>> open;
  {
    absl::MutexLock lock(&mu_);
    open.swap(open_);
  }
}

absl::StatusOr<json> ServiceNetwork::Expose(const json& service) {
  const Key key{service["metadata"].value("namespace", ""),
                service["metadata"].value("name", "")};
  const std::string type = service["spec"].value("type", "ClusterIP");
  if (type != "NodePort" && type != "LoadBalancer") return json(nullptr);
  const json ports = service["spec"].value("ports", json::array());
  std::vector<std::unique_ptr<TcpForwarder>> forwarders;
  auto forward = [&](const std::string& address, int port,
                     size_t index) -> absl::Status {
    absl::StatusOr<std::unique_ptr<TcpForwarder>> forwarder =
        TcpForwarder::Listen(address, port, [this, key, index] {
          return lookup_(key.first, key.second, index);
        });
    if (!forwarder.ok()) return forwarder.status();
    forwarders.push_back(*std::move(forwarder));
    return absl::OkStatus();
  };
  for (size_t i = 0; i < ports.size(); ++i) {
    const int node_port = ports[i].value("nodePort", 0);
    if (node_port <= 0) continue;
    if (absl::Status s = forward(kNodeAddress, node_port, i); !s.ok()) return s;
  }
  json ingress = nullptr;
  if (type == "LoadBalancer") {
    std::string address;
    {
      absl::MutexLock lock(&mu_);
      const int n = next_balancer_++ % 250 + 1;
      address = absl::StrCat("127.0.1.", n);
    }
    for (size_t i = 0; i < ports.size(); ++i) {
      if (absl::Status s = forward(address, ports[i].value("port", 0), i);
          !s.ok()) {
        return s;
      }
    }
    ingress = {{"ip", address}};
  }
  absl::MutexLock lock(&mu_);
  open_[key] = std::move(forwarders);
  return ingress;
}

void ServiceNetwork::Unexpose(const std::string& ns, const std::string& name) {
  std::vector<std::unique_ptr<TcpForwarder>> closing;
  {
    absl::MutexLock lock(&mu_);
    auto it = open_.find({ns, name});
    if (it == open_.end()) return;
    closing = std::move(it->second);
    open_.erase(it);
  }
}

}  // namespace tao::fakes::kubernetes
