// Test helper: runs the reference test backend (tests/fakes) as a child
// process on a free port in its own scratch folder, and talks to its
// control routes. The process group is killed when the object goes away.
#ifndef TAO_TESTS_FAKES_REFERENCE_BACKEND_PROCESS_H_
#define TAO_TESTS_FAKES_REFERENCE_BACKEND_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace tao::fakes {

// Arguments for `reference_backend --arch cosmos-rl`: a --job whose
// specs.model_path is `model_path` (knobs allowed).
std::vector<std::string> CosmosRlArgs(const std::string& model_path);
// Arguments for `reference_backend --arch cosmos-predict2.5` with --model.
std::vector<std::string> CosmosPredictArgs(const std::string& model_key);

class ReferenceBackendProcess {
 public:
  struct Options {
    // Arguments after argv[0]; "--port 0" is added when there is no --port.
    std::vector<std::string> args;
    // Run through a link of this name (e.g. "cosmos_predict") made in the
    // scratch folder; empty runs reference_backend itself.
    std::string entry_point;
    // Environment of the child besides PATH and HOME.
    std::map<std::string, std::string> env;
    absl::Duration start_timeout = absl::Seconds(60);
    std::string executable = TAO_REFERENCE_BACKEND_PATH;
  };

  // Starts the process and waits until it listens (its launch file names
  // the port). Errors: INTERNAL, or FAILED_PRECONDITION when it exited
  // (with its output).
  static absl::StatusOr<std::unique_ptr<ReferenceBackendProcess>> Start(
      Options options);

  ~ReferenceBackendProcess();
  ReferenceBackendProcess(const ReferenceBackendProcess&) = delete;
  ReferenceBackendProcess& operator=(const ReferenceBackendProcess&) = delete;

  const std::string& url() const { return url_; }  // http://127.0.0.1:<port>
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& work_dir() const { return work_dir_; }

  // GET `path`, any status; the body as JSON.
  absl::StatusOr<nlohmann::json> GetJson(const std::string& path) const;
  // POST /_reference/control. Errors: INTERNAL when it was refused.
  absl::Status Control(const nlohmann::json& control) const;
  // GET /_reference/requests: the chat request bodies received.
  absl::StatusOr<nlohmann::json> Requests() const;
  // Polls readiness until HTTP 200. Errors: DEADLINE_EXCEEDED.
  absl::Status WaitUntilReady(absl::Duration timeout) const;
  // What the process printed so far.
  std::string Output() const;
  // Stops the process group (SIGTERM, then SIGKILL). Idempotent.
  void Stop();

 private:
  ReferenceBackendProcess() = default;

  std::string work_dir_;
  std::string url_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace tao::fakes

#endif  // TAO_TESTS_FAKES_REFERENCE_BACKEND_PROCESS_H_
