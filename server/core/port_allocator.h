// The host port pool (spec §3): the lowest free port from 8080 to 8199 per
// scope (Platform::HostPortScope), skipping ports held by registry entries,
// ports reserved by Starts still in flight, and (for
// platforms::kThisHostPortScope only) ports something else has bound. Safe
// under concurrent Starts.
#ifndef TAO_SERVER_CORE_PORT_ALLOCATOR_H_
#define TAO_SERVER_CORE_PORT_ALLOCATOR_H_

#include <functional>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace tao::core {

inline constexpr int kFirstServicePort = 8080;
inline constexpr int kLastServicePort = 8199;

class PortAllocator {
 public:
  // `bindable(port)` tells whether a port is free on this host (asked for
  // platforms::kThisHostPortScope only); tests inject.
  // The pool is [first, last] (spec §3: 8080-8199).
  explicit PortAllocator(std::function<bool(int)> bindable,
                         int first = kFirstServicePort,
                         int last = kLastServicePort);

  // Reserves `requested` (when non-zero) or the lowest free port. `used`
  // holds the ports of registry entries in the same scope.
  // Errors: RESOURCE_EXHAUSTED (pool full), ALREADY_EXISTS (requested port
  // taken), INVALID_ARGUMENT (requested port out of 1-65535).
  absl::StatusOr<int> Reserve(const std::string& scope, int requested,
                              const std::set<int>& used);
  void Release(const std::string& scope, int port);

 private:
  const std::function<bool(int)> bindable_;
  const int first_;
  const int last_;
  absl::Mutex mu_;
  std::set<std::pair<std::string, int>> reserved_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tao::core

#endif  // TAO_SERVER_CORE_PORT_ALLOCATOR_H_
