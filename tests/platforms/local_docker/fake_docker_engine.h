// A scripted stand-in for the Docker engine on 127.0.0.1 (reached with
// DOCKER_HOST=tcp://...), for what the real engine here cannot show: pulls
// from a registry (none is reachable from the test machines), registry
// credentials and API version negotiation. Paths, status codes and JSON
// shapes follow the Docker Engine API reference (v1.41-v1.45): /version,
// /images/{name}/json, /images/create (a stream of JSON progress lines that
// may end with {"error":..,"errorDetail":{"message":..}} under HTTP 200),
// /networks/{id}, /containers/create, /containers/{id}/start,
// /containers/{id}/json and /containers/{id}/logs.
#ifndef TAO_TESTS_PLATFORMS_LOCAL_DOCKER_FAKE_DOCKER_ENGINE_H_
#define TAO_TESTS_PLATFORMS_LOCAL_DOCKER_FAKE_DOCKER_ENGINE_H_

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace tao::platforms::local_docker::testing {

class FakeDockerEngine {
 public:
  struct Script {
    std::string api_version = "1.45";
    std::string min_api_version = "1.44";
    // Lines the pull streams (HTTP 200); the image exists afterwards unless
    // one of them is an error.
    std::vector<std::string> pull_lines;
    // Pause before each pull line, so that a pull takes as long as a real
    // one and its progress can be watched.
    absl::Duration pull_line_delay = absl::ZeroDuration();
    // What /containers/{id}/json says of every container: State.Status
    // ("running", "exited", ...) and, once exited, State.ExitCode.
    std::string container_status = "running";
    int container_exit_code = 0;
    // What the container printed (stdout), as /containers/{id}/logs
    // returns it.
    std::string container_logs;
  };

  struct Recorded {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::string registry_auth;  // X-Registry-Auth, if sent
    std::string body;
  };

  explicit FakeDockerEngine(Script script);
  ~FakeDockerEngine();

  // tcp://127.0.0.1:<port>
  std::string docker_host() const;
  std::vector<Recorded> requests() const;

 private:
  void Record(const Recorded& request);

  const Script script_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable absl::Mutex mu_;
  std::vector<Recorded> requests_ ABSL_GUARDED_BY(mu_);
  bool image_present_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tao::platforms::local_docker::testing

#endif  // TAO_TESTS_PLATFORMS_LOCAL_DOCKER_FAKE_DOCKER_ENGINE_H_
