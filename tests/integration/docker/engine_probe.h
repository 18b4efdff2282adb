// Plain HTTP calls from tests to the Docker engine the server uses, so that
// what the server did (containers, networks) is checked independently of the
// driver under test (which has its own Docker API client).
#ifndef TAO_TESTS_INTEGRATION_DOCKER_ENGINE_PROBE_H_
#define TAO_TESTS_INTEGRATION_DOCKER_ENGINE_PROBE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "platforms/common/http/http_client.h"

namespace tao::integration::docker {

struct EngineAnswer {
  long status = 0;
  nlohmann::json body;  // null when the body is empty or not JSON
};

class EngineProbe {
 public:
  // `docker_host` in DOCKER_HOST form: unix:///PATH or tcp://HOST:PORT.
  explicit EngineProbe(std::string docker_host);
  ~EngineProbe();

  // One call to the engine's unversioned API, e.g. ("GET",
  // "/containers/<id>/json"); names in `path` are plain (ids, test names),
  // `query` values are escaped. Errors: UNAVAILABLE when it does not answer.
  absl::StatusOr<EngineAnswer> Call(
      const std::string& method, const std::string& path,
      std::vector<std::pair<std::string, std::string>> query = {}) const;

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
  std::string description_;  // the DOCKER_HOST value
  std::string base_url_;     // http://localhost or http://HOST:PORT
  std::unique_ptr<platforms::http::HttpClient> http_;
};

}  // namespace tao::integration::docker

#endif  // TAO_TESTS_INTEGRATION_DOCKER_ENGINE_PROBE_H_
