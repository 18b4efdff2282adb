// A TCP connect check: what a Kubernetes tcpSocket readiness probe does (the
// Lepton fake's "Ready" means exactly this, as Lepton's does).
#ifndef TAO_TESTS_FAKES_COMMON_TCP_PROBE_H_
#define TAO_TESTS_FAKES_COMMON_TCP_PROBE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace tao::fakes {

// OK when a TCP connection to `host` (an IPv4 address) : `port` is accepted
// within `timeout` (the connection is closed at once). Errors:
// INVALID_ARGUMENT for a host that is not an IPv4 address; UNAVAILABLE with
// the reason otherwise.
absl::Status ProbeTcp(const std::string& host, int port,
                      absl::Duration timeout);

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_COMMON_TCP_PROBE_H_
