// Where the Docker engine listens, from a DOCKER_HOST value.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_DOCKER_ENDPOINT_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_DOCKER_ENDPOINT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tao::platforms::local_docker {

inline constexpr char kDefaultDockerHost[] = "unix:///var/run/docker.sock";

struct DockerEndpoint {
  // The DOCKER_HOST form, for messages: "unix:///run/docker.sock".
  std::string description;
  // Set for unix://: requests go over this socket to http://localhost.
  std::string unix_socket;
  // Scheme, host and port requests are sent to: "http://localhost" for a
  // socket, "http://10.0.0.5:2375" for tcp://.
  std::string base_url;
};

// Parses `docker_host` (empty: kDefaultDockerHost). Accepts unix:///path and
// tcp://host[:port] (port 2375 by default; plain HTTP, no TLS). Errors:
// INVALID_ARGUMENT naming DOCKER_HOST for other schemes (ssh://, npipe://)
// or an empty path or host.
absl::StatusOr<DockerEndpoint> ParseDockerHost(absl::string_view docker_host);

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_DOCKER_ENDPOINT_H_
