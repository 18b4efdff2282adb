// Plain libcurl calls from tests to the Docker engine the server uses, so
// that what the server did (containers, networks) is checked independently
// of the driver under test.
#ifndef TAO_TESTS_INTEGRATION_DOCKER_ENGINE_PROBE_H_
#define TAO_TESTS_INTEGRATION_DOCKER_ENGINE_PROBE_H_

#include <string>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace tao::integration::docker {

struct EngineAnswer {
  long status = 0;
  nlohmann::json body;  // null when the body is empty or not JSON
};

class EngineProbe {
 public:
  // `docker_host` in DOCKER_HOST form: unix:///PATH or tcp://HOST:PORT.
  explicit EngineProbe(std::string docker_host);

  // One call to the engine's unversioned API, e.g. ("GET",
  // "/containers/<id>/json"). Errors: UNAVAILABLE when it does not answer.
  absl::StatusOr<EngineAnswer> Call(const std::string& method,
                                    const std::string& path_and_query) const;

  // GET /containers/<name>/json: the inspect document, or NOT_FOUND.
  absl::StatusOr<nlohmann::json> InspectContainer(
      const std::string& name) const;

  // GET /containers/json?all=true filtered by `label` ("key=value"): every
  // such container, running or not.
  absl::StatusOr<nlohmann::json> ListContainersLabelled(
      const std::string& label) const;
  // Force-removes every container (running or not) carrying `label`
  // ("key=value"); the number removed.
  int RemoveContainersLabelled(const std::string& label) const;
  // Deletes the network `name` (if it exists).
  void RemoveNetwork(const std::string& name) const;

 private:
  std::string socket_path_;  // unix:// hosts
  std::string base_url_;     // http://localhost or http://HOST:PORT
};

}  // namespace tao::integration::docker

#endif  // TAO_TESTS_INTEGRATION_DOCKER_ENGINE_PROBE_H_
