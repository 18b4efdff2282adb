#include "tests/fakes/kubernetes/service_network.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>

#include "absl/strings/str_cat.h"

namespace tao::fakes::kubernetes {

using json = nlohmann::json;

ServiceNetwork::ServiceNetwork(EndpointLookup lookup)
    : lookup_(std::move(lookup)),
      next_balancer_(static_cast<int>(std::random_device{}() % 250)) {}

bool ServiceNetwork::NodePortFree(int port) {
  // A bind is enough to tell; nothing needs to listen.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, kNodeAddress, &address.sin_addr);
  const bool free =
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return free;
}

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
    // An address whose ports are all free: fakes in other test processes
    // hand out addresses from the same range.
    absl::Status listened = absl::UnavailableError("no loopback address left");
    for (int attempt = 0; attempt < 250 && !listened.ok(); ++attempt) {
      std::string address;
      {
        absl::MutexLock lock(&mu_);
        address = absl::StrCat("127.0.1.", next_balancer_++ % 250 + 1);
      }
      const size_t before = forwarders.size();
      listened = absl::OkStatus();
      for (size_t i = 0; i < ports.size() && listened.ok(); ++i) {
        listened = forward(address, ports[i].value("port", 0), i);
      }
      if (listened.ok()) {
        ingress = {{"ip", address}};
      } else {
        forwarders.resize(before);
      }
    }
    if (!listened.ok()) return listened;
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
