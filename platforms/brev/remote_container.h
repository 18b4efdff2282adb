// The shell scripts the brev driver runs on an instance over ssh to manage
// one service's container with the instance's docker CLI (spec §6.2: named
// by the job id, published on the instance's host port, the env payload,
// GPUs), and how their output is read. Every value is shell-quoted; the
// service's secrets never enter a script: they travel on the script's
// stdin into an env file only the instance's user can read, removed as
// soon as `docker run` has read it.
#ifndef TAO_PLATFORMS_BREV_REMOTE_CONTAINER_H_
#define TAO_PLATFORMS_BREV_REMOTE_CONTAINER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platforms/platform.h"

namespace tao::platforms::brev {

// Labels on every container the driver starts (as local-docker's, so that
// `docker ps --filter label=ai.tao.inference.job_id` finds both).
inline constexpr char kLabelJobId[] = "ai.tao.inference.job_id";
inline constexpr char kLabelNetworkArch[] = "ai.tao.inference.network_arch";
inline constexpr char kLabelServerInstance[] =
    "ai.tao.inference.server_instance";

struct RemoteContainer {
  std::string job_id;  // the container's name
  std::string network_arch;
  std::string server_instance;
  std::string image;
  std::string inner_command;  // run with /bin/bash -c
  std::map<std::string, std::string> env;
  // Names of the secret variables; their values go on stdin
  // (SecretEnvFile).
  std::vector<std::string> secret_names;
  // The instance's port, published on its 127.0.0.1 to container port 8080:
  // only the tunnel reaches the service, never the instance's network.
  int host_port = 0;
  int num_gpus = 1;  // 0: no --gpus
  int64_t shm_size_bytes = int64_t{16} << 30;
};

// `docker run -d` of `container`, reading the secret env file from stdin
// first; prints the container id. INVALID_ARGUMENT for a job id that is no
// container name or a port outside 1-65535.
absl::StatusOr<std::string> RunScript(const RemoteContainer& container);

// The stdin of RunScript: one NAME=value line per secret, in docker's
// --env-file format (no quoting, one line each). INVALID_ARGUMENT naming
// the variable (never its value) for a value with a line break.
absl::StatusOr<std::string> SecretEnvFile(
    const std::map<std::string, std::string>& secrets);

// `docker port` of the container's 8080, which prints where the port is
// published on the instance ("127.0.0.1:8081"); the tunnel goes there.
std::string PublishedAddressScript(const std::string& job_id);
// The address from PublishedAddressScript's output (0.0.0.0, every address,
// is reached at 127.0.0.1); NOT_FOUND with the output when it names none.
absl::StatusOr<std::string> ParsePublishedAddress(absl::string_view output);

// `docker rm -f`; a container already gone is fine (exit 0).
std::string RemoveScript(const std::string& job_id);
// `docker logs --tail N` (0: all).
std::string LogsScript(const std::string& job_id, int tail_lines);
// Prints "<status> <exit code>" of the container, or "missing".
std::string InspectScript(const std::string& job_id);
// RuntimeState from InspectScript's output.
RuntimeState StateFromInspect(absl::string_view output);
// Prints "<name> <network arch>" for each container labelled with
// `server_instance`.
std::string ListOwnedScript(const std::string& server_instance);
// (job id, network arch) pairs from ListOwnedScript's output.
std::vector<std::pair<std::string, std::string>> ParseOwned(
    absl::string_view output);

}  // namespace tao::platforms::brev

#endif  // TAO_PLATFORMS_BREV_REMOTE_CONTAINER_H_
