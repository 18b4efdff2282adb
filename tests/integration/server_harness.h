// Runs the real server binary for a test (tao-inferd-test: tao-inferd plus
// the test platform): a private temp folder (registry file, test-platform
// root, logs), a block of service ports no other test holds, and cleanup of
// every process the server started, even after the server was killed.
#ifndef TAO_TESTS_INTEGRATION_SERVER_HARNESS_H_
#define TAO_TESTS_INTEGRATION_SERVER_HARNESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "tao/inference/v1/inference_service.grpc.pb.h"
#include "tests/integration/child_process.h"

namespace tao::integration {

namespace v1 = ::tao::inference::v1;

struct ServerConfig {
  // Added to the server's environment (HF_TOKEN, IMAGE_*...).
  std::map<std::string, std::string> env;
  // Extra command-line flags.
  std::vector<std::string> flags;
  // Start returns once health says SERVING (the startup check of the
  // registry is done); false: as soon as the server listens.
  bool wait_until_serving = true;
};

class ServerHarness {
 public:
  static constexpr int kPortBlockSize = 16;

  ServerHarness();
  ~ServerHarness();
  ServerHarness(const ServerHarness&) = delete;
  ServerHarness& operator=(const ServerHarness&) = delete;

  // Starts the server and waits until it listens (and, unless
  // config.wait_until_serving is false, until it serves). Errors carry its
  // log.
  absl::Status Start(ServerConfig config = {});
  // SIGTERM, wait for the exit (30 s at most), Start(config) again: same
  // folder and registry file.
  absl::Status Restart(const ServerConfig& config);
  // Starts tao-inferd expecting it to refuse to start; its exit code.
  absl::StatusOr<int> StartExpectingExit(ServerConfig config = {});
  void Signal(int signal_number);
  absl::StatusOr<int> WaitExit(absl::Duration timeout);
  bool running() const { return pid_ > 0; }

  // The gRPC health answer for `service` ("" is the whole server).
  // Errors: the call's (NOT_FOUND before the server registered `service`).
  absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus> Health(
      const std::string& service) const;
  // Waits until health says SERVING for the inference service, i.e. the
  // startup check of the registry is done. Errors: DEADLINE_EXCEEDED.
  absl::Status WaitUntilServing(absl::Duration timeout) const;

  std::string address() const;
  std::unique_ptr<v1::InferenceService::Stub> NewStub() const;
  std::shared_ptr<grpc::Channel> channel() const;

  // Everything the server wrote to stdout and stderr, over all its runs.
  std::string Log() const;
  // Waits until Log() holds `text`; false after `timeout`.
  bool WaitForLog(absl::string_view text, absl::Duration timeout) const;
  const std::string& dir() const { return dir_; }
  std::string state_path() const { return dir_ + "/state.json"; }
  nlohmann::json ReadState() const;
  // The registry entry of `job_id` (null when absent).
  nlohmann::json Entry(const std::string& job_id) const;
  // platform_data.<key> of the registry entry of `job_id` ("" if absent).
  std::string PlatformData(const std::string& job_id,
                           const std::string& key) const;
  // platform_data.tunnel_pid of the registry entry (0 if absent).
  pid_t RecordedTunnelPid(const std::string& job_id) const;
  int first_service_port() const { return first_port_; }

  // Runs tao-infer with --server pointing here, stdin not a terminal.
  RunOutput Cli(const std::vector<std::string>& args,
                const std::string& stdin_text = "",
                const std::map<std::string, std::string>& env = {}) const;

 private:
  std::vector<std::string> Command(const ServerConfig& config) const;
  void KillServicesUnder();

  std::string dir_;
  int first_port_ = 0;
  int port_lock_fd_ = -1;
  pid_t pid_ = 0;
  int grpc_port_ = 0;
  mutable std::shared_ptr<grpc::Channel> channel_;
};

// The ErrorDetails a tao-inferd error carries, if any.
std::optional<v1::ErrorDetails> DetailsOf(const grpc::Status& status);

// Client-side helpers for the common steps.
absl::StatusOr<v1::StartResponse> StartService(
    v1::InferenceService::Stub& stub, const std::string& network_arch,
    const std::string& model_path, const std::string& model_key = "");
// Streams WaitReady to its end; the events seen and the final status.
struct WaitResult {
  std::vector<v1::WaitReadyEvent> events;
  grpc::Status status;
  v1::ServiceState final_state() const {
    return events.empty() ? v1::SERVICE_STATE_UNSPECIFIED
                          : events.back().state();
  }
};
WaitResult WaitReady(v1::InferenceService::Stub& stub,
                     const std::string& job_id,
                     absl::Duration timeout = absl::Seconds(60));

// A CLI run's stdout as one JSON document (`--json`); a test failure naming
// both outputs when it is not.
nlohmann::json StdoutJson(const RunOutput& output);

// The smallest valid PNG (1x1), for image inputs.
std::string TinyPng();

}  // namespace tao::integration

#endif  // TAO_TESTS_INTEGRATION_SERVER_HARNESS_H_
