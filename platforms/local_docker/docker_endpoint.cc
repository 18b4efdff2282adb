#include "platforms/local_docker/docker_endpoint.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace tao::platforms::local_docker {

absl::StatusOr<DockerEndpoint> ParseDockerHost(absl::string_view docker_host) {
  if (docker_host.empty()) docker_host = kDefaultDockerHost;
  DockerEndpoint endpoint;
  endpoint.description = std::string(docker_host);
  absl::string_view rest = docker_host;
  if (absl::ConsumePrefix(&rest, "unix://")) {
    if (rest.empty() || rest[0] != '/') {
      return absl::InvalidArgumentError(
          absl::StrCat("DOCKER_HOST=", docker_host,
                       ": a unix socket needs an absolute path, e.g. "
                       "unix:///var/run/docker.sock"));
    }
    endpoint.unix_socket = std::string(rest);
    endpoint.base_url = "http://localhost";
    return endpoint;
  }
  if (absl::ConsumePrefix(&rest, "tcp://") ||
      absl::ConsumePrefix(&rest, "http://")) {
    while (absl::ConsumeSuffix(&rest, "/")) {
    }
    if (rest.empty() || absl::StrContains(rest, '/')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "DOCKER_HOST=", docker_host,
          ": expected tcp://HOST[:PORT], e.g. tcp://127.0.0.1:2375"));
    }
    // A port is present when the text after the last ':' follows the host
    // ("h:2375", "[::1]:2375"), not inside a bracketed IPv6 address.
    const size_t colon = rest.rfind(':');
    const size_t bracket = rest.rfind(']');
    const bool has_port =
        colon != absl::string_view::npos &&
        (bracket == absl::string_view::npos || colon > bracket);
    endpoint.base_url = absl::StrCat("http://", rest, has_port ? "" : ":2375");
    return endpoint;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "DOCKER_HOST=", docker_host,
      " is not supported by the local-docker driver: use unix:///PATH or "
      "tcp://HOST:PORT (for a remote engine over SSH, forward its socket "
      "with ssh -L and point DOCKER_HOST at the local end)"));
}

}  // namespace tao::platforms::local_docker
