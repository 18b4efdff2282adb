// What every end-to-end test of the "slurm" platform needs: the real
// single-node SLURM cluster and loopback sshd (scripts/slurm-up,
// scripts/sshd-up; skip without them, fail under TAO_REQUIRE_SLURM), a
// tao-inferd whose environment selects the local or the SSH path with
// runtime "none" (the reference backend runs on the node under the
// containers' entry-point names), and the cancellation of every SLURM job
// and tunnel the server made, also when a test fails.
#ifndef TAO_TESTS_INTEGRATION_SLURM_SLURM_E2E_FIXTURE_H_
#define TAO_TESTS_INTEGRATION_SLURM_SLURM_E2E_FIXTURE_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/e2e_calls.h"
#include "tests/integration/server_harness.h"
#include "tests/platforms/slurm/slurm_test_env.h"

namespace tao::integration::slurm {

inline constexpr char kPlatform[] = "slurm";

// "hf-canary-<random>": the HF_TOKEN of the server, which must reach the
// backend as an environment variable and no client, log or registry.
std::string Canary();

// How tao-inferd reaches the cluster.
enum class Access {
  kLocal,  // SLURM_HOSTNAME unset: sbatch & co. run on this machine
  kSsh,    // SLURM_HOSTNAME=127.0.0.1: everything over ssh to the sshd
};

class SlurmE2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The server environment for `access`; `overrides` win.
  std::map<std::string, std::string> ServerEnv(
      Access access,
      const std::map<std::string, std::string>& overrides = {}) const;
  // Starts (or restarts, same registry) tao-inferd with ServerEnv(...).
  absl::Status StartServer(
      Access access, const std::map<std::string, std::string>& overrides = {});
  // SIGTERM and wait; the registry file stays.
  void StopServer();

  // A cosmos-rl Start on platform slurm (model path knobs: tests/fakes).
  static v1::StartRequest Request(const std::string& model_path);
  grpc::Status Start(const v1::StartRequest& request,
                     v1::StartResponse* response,
                     absl::Duration deadline = absl::Seconds(120));
  // Start, then WaitReady until READY (a test failure otherwise).
  v1::Service StartReady(const v1::StartRequest& request);
  WaitResult Wait(const std::string& job_id);
  // An image question to `job_id`.
  grpc::Status Infer(const std::string& job_id, v1::InferResponse* response,
                     bool wait_for_ready = false);
  grpc::Status Stop(const std::string& job_id, v1::StopResponse* response);
  grpc::Status List(bool refresh, v1::ListResponse* response);
  // The live service of `job_id` from List(refresh), or an empty one.
  v1::Service Refreshed(const std::string& job_id);
  // tao-infer against this server; its output is recorded.
  RunOutput Cli(const std::vector<std::string>& args);

  // True when the registry holds no service (or was never written).
  bool RegistryEmpty() const;
  // SIGKILLs `pid` and waits until no ssh forwards `host_port` any more.
  void KillTunnel(pid_t pid, int host_port);

  // After Stop: the job is CANCELLED (or gone), no ssh forwards its host
  // port, and the registry no longer has it.
  void ExpectStopped(const v1::Service& service);
  // The service answers through its own tunnel: host_url is
  // http://localhost:<host_port>, the backend got HF_TOKEN as an
  // environment variable and listens on the node port of the registry.
  void ExpectServedThroughTunnel(const v1::Service& service);

  // Whatever a client was shown, for the HF_TOKEN check.
  void Saw(const google::protobuf::Message& message) { calls_.Saw(message); }
  void Saw(const grpc::Status& status) { calls_.Saw(status); }
  void Saw(const RunOutput& output) { calls_.Saw(output); }

  bool ready_ = false;  // SetUp found the cluster
  platforms::slurm::testing::SlurmTestEnv env_;
  std::string root_;  // <root>/bin: entry points; <root>/work: local jobs
  const std::string hf_token_ = Canary();
  // TAO_SERVER_INSTANCE of this test's servers (restarts included): the
  // jobs of tests running beside it are not this server's.
  const std::string server_instance_ =
      "slurm-e2e-" + std::to_string(std::random_device{}());
  ServerHarness server_;
  // The stub and what clients were shown (the HF_TOKEN check).
  E2eCalls calls_{&server_};
};

}  // namespace tao::integration::slurm

#endif  // TAO_TESTS_INTEGRATION_SLURM_SLURM_E2E_FIXTURE_H_
