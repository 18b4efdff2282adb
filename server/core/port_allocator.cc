#include "server/core/port_allocator.h"

#include "absl/strings/str_cat.h"
#include "platforms/platform.h"

namespace tao::core {

PortAllocator::PortAllocator(std::function<bool(int)> bindable, int first,
                             int last)
    : bindable_(std::move(bindable)), first_(first), last_(last) {}

absl::StatusOr<int> PortAllocator::Reserve(const std::string& scope,
                                           int requested,
                                           const std::set<int>& used) {
  const bool local = scope == platforms::kThisHostPortScope;
  absl::MutexLock lock(&mu_);
  auto taken = [&](int port) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return used.count(port) > 0 || reserved_.count({scope, port}) > 0;
  };
  if (requested != 0) {
    if (requested < 1 || requested > 65535) {
      return absl::InvalidArgumentError(absl::StrCat(
          "host_port: ", requested, " is not a TCP port (1-65535)"));
    }
    if (taken(requested) || (local && !bindable_(requested))) {
      return absl::AlreadyExistsError(absl::StrCat(
          "host_port: port ", requested,
          " is already in use; choose another or pass 0 to allocate one"));
    }
    reserved_.insert({scope, requested});
    return requested;
  }
  for (int port = first_; port <= last_; ++port) {
    if (taken(port) || (local && !bindable_(port))) continue;
    reserved_.insert({scope, port});
    return port;
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "no free host port between ", first_, " and ", last_, " in scope ", scope,
      "; stop a service (tao-infer list / stop) or free a port"));
}

void PortAllocator::Release(const std::string& scope, int port) {
  absl::MutexLock lock(&mu_);
  reserved_.erase({scope, port});
}

}  // namespace tao::core
