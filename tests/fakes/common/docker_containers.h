// What a fake platform needs from the real local Docker engine to run its
// workloads for real: make sure an image is there, run a container, watch
// it, read its output and remove it. The fakes of remote platforms
// (tests/fakes/kubernetes, the Lepton fake) run each workload's container
// through this, so that readiness probes and Infer reach a real container.
//
// Built on the local-docker driver's Engine API client (its own tests check
// it against the real engine); what the calls mean is decided here.
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_TESTS_FAKES_COMMON_DOCKER_CONTAINERS_H_
#define TAO_TESTS_FAKES_COMMON_DOCKER_CONTAINERS_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tao::platforms::local_docker {
class DockerApi;
}

namespace tao::fakes {

struct ContainerSpec {
  std::string name;  // the container's name on the engine
  std::string image;
  // Both as Kubernetes means them: `entrypoint` replaces the image's
  // ENTRYPOINT, `args` its CMD; empty keeps the image's.
  std::vector<std::string> entrypoint;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::map<std::string, std::string> labels;
  int64_t shm_size_bytes = 0;  // 0: the engine's default
};

// One line of a container's output and when the engine received it.
struct LogLine {
  absl::Time time;
  std::string text;  // without the newline
};

struct ContainerStatus {
  enum class State { kCreated, kRunning, kExited, kMissing };
  State state = State::kMissing;
  std::string id;        // full container id
  std::string image_id;  // "sha256:..."
  std::string ip;        // on the default bridge; "" unless running
  int exit_code = 0;
  bool oom_killed = false;
  std::string error;  // the engine's words when it could not start it
  absl::Time started_at = absl::InfinitePast();
  absl::Time finished_at = absl::InfinitePast();
};

class DockerContainers {
 public:
  // `docker_host` as DOCKER_HOST ("unix:///path" or "tcp://host:port").
  // INVALID_ARGUMENT for a malformed one; the engine is not called yet.
  static absl::StatusOr<std::unique_ptr<DockerContainers>> Connect(
      const std::string& docker_host);
  ~DockerContainers();

  // OK when the engine has `image` or could pull it; NOT_FOUND with the
  // engine's words otherwise (what a kubelet reports as ErrImagePull).
  absl::Status EnsureImage(const std::string& image);
  // Creates and starts the container; returns its id. A container of the
  // same name is replaced.
  absl::StatusOr<std::string> Run(const ContainerSpec& spec);
  // kMissing (not an error) when there is no such container.
  absl::StatusOr<ContainerStatus> Inspect(const std::string& name);
  // Blocks until the container stops (or is removed), at most `timeout`.
  absl::Status Wait(const std::string& name, absl::Duration timeout);
  // stdout and stderr in order; tail_lines < 0: all.
  absl::StatusOr<std::string> Logs(const std::string& name, int tail_lines);
  // The same lines with the engine's time stamps (docker logs
  // --timestamps), oldest first. Errors as Logs.
  absl::StatusOr<std::vector<LogLine>> TimestampedLogs(const std::string& name,
                                                       int tail_lines);
  // Kills and removes the container; OK when it is gone already.
  absl::Status Remove(const std::string& name);
  // Names of the containers carrying label `key`=`value` (running or not).
  absl::StatusOr<std::vector<std::string>> ListLabelled(
      const std::string& key, const std::string& value);
  // Removes every container carrying label `key`=`value` (what a test's
  // fake left behind, whatever happened); errors are ignored.
  void RemoveLabelled(const std::string& key, const std::string& value);

 private:
  explicit DockerContainers(
      std::unique_ptr<platforms::local_docker::DockerApi> api);
  absl::StatusOr<std::string> ReadLogs(const std::string& name, int tail_lines,
                                       bool timestamps);
  std::unique_ptr<platforms::local_docker::DockerApi> api_;
};

// DOCKER_HOST when set, else scripts/docker-up's private engine when its
// socket exists, else the system socket.
std::string DefaultDockerHost();

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_COMMON_DOCKER_CONTAINERS_H_
