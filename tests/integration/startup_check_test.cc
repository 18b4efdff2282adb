// The startup check of the registry runs while the server already serves:
// tao-inferd answers health (NOT_SERVING until the check is done) and RPCs
// on other platforms at once, and a platform whose login host does not
// answer costs one ssh timeout, not one per registry entry.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/server_harness.h"
#include "tests/support/free_port.h"

namespace tao::integration {
namespace {

using ::testing::HasSubstr;
using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

constexpr int kSlurmEntries = 100;
constexpr absl::Duration kFirstAnswerBound = absl::Seconds(2);

// A registry of `count` slurm services whose login host is
// 127.0.0.1:<ssh_port>.
nlohmann::json SlurmRegistry(int count, int ssh_port) {
  nlohmann::json state = nlohmann::json::object();
  for (int i = 0; i < count; ++i) {
    const std::string job_id =
        absl::StrFormat("00000000-0000-4000-8000-%012d", i);
    state[job_id] = {
        {"job_id", job_id},
        {"platform", "slurm"},
        {"platform_job_id", absl::StrCat(1000 + i)},
        {"network_arch", "cosmos-rl"},
        {"host_url", "http://localhost:1"},
        {"started_at", "2025-01-01T00:00:00Z"},
        {"platform_data",
         {{"login_host", "127.0.0.1"},
          {"ssh_port", absl::StrCat(ssh_port)},
          {"tunnel_host", "127.0.0.1"},
          {"node_addr", "127.0.0.1"},
          {"node_port", "30000"}}},
    };
    state["latest"] = job_id;
  }
  return state;
}

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (size_t at = text.find(part); at != std::string::npos;
       at = text.find(part, at + part.size())) {
    ++n;
  }
  return n;
}

TEST(StartupCheckTest, AnUnreachablePlatformDoesNotHoldUpTheServer) {
  // Accepts connections and never says a word: ssh to it waits for the
  // server's banner until its ConnectTimeout, like a login host that hangs.
  tests::LoopbackSocket login_host(/*listening=*/true);
  ASSERT_NE(login_host.port(), 0);
  ServerHarness server;
  std::ofstream(server.state_path())
      << SlurmRegistry(kSlurmEntries, login_host.port()).dump(2);
  ServerConfig config;
  config.wait_until_serving = false;
  config.env = {
      {"SLURM_HOSTNAME", "127.0.0.1"},
      {"SLURM_SSH_PORT", absl::StrCat(login_host.port())},
      {"SLURM_USER", ""},
      {"SSH_KEY_PATH", ""},
      {"SLURM_SSH_KNOWN_HOSTS", ""},
      {"SLURM_TUNNEL_HOST", ""},
      {"TAO_SLURM_STATE_DIR", server.dir() + "/tunnels"},
  };

  const absl::Time started = absl::Now();
  ASSERT_TRUE(server.Start(config).ok()) << server.Log();
  const std::string service(v1::InferenceService::service_full_name());
  absl::StatusOr<ServingStatus> whole = absl::UnknownError("not asked");
  while (absl::Now() - started < kFirstAnswerBound) {
    whole = server.Health("");
    if (whole.ok()) break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(whole.ok()) << "no health answer within "
                          << absl::FormatDuration(kFirstAnswerBound)
                          << " of starting: " << whole.status() << "\n"
                          << server.Log();
  // The check of the first entry waits for ssh's timeout: not serving yet.
  EXPECT_EQ(*whole, grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  absl::StatusOr<ServingStatus> ours = server.Health(service);
  ASSERT_TRUE(ours.ok()) << ours.status();
  EXPECT_EQ(*ours, grpc::health::v1::HealthCheckResponse::NOT_SERVING);

  // Meanwhile the server works: List, and a service on the test platform.
  auto stub = server.NewStub();
  grpc::ClientContext list_context;
  list_context.set_deadline(std::chrono::system_clock::now() +
                            std::chrono::seconds(5));
  v1::ListResponse listed;
  grpc::Status list_status =
      stub->List(&list_context, v1::ListRequest(), &listed);
  ASSERT_TRUE(list_status.ok()) << list_status.error_message();
  EXPECT_EQ(listed.services_size(), kSlurmEntries);
  absl::StatusOr<v1::StartResponse> test_service =
      StartService(*stub, "cosmos-rl", "/models/a");
  ASSERT_TRUE(test_service.ok()) << test_service.status();
  ours = server.Health(service);
  ASSERT_TRUE(ours.ok()) << ours.status();
  EXPECT_EQ(*ours, grpc::health::v1::HealthCheckResponse::NOT_SERVING)
      << "the calls above were meant to run during the startup check";

  // One ssh timeout for the platform, not one per entry (100 x 10 s).
  ASSERT_TRUE(server.WaitUntilServing(absl::Seconds(120)).ok()) << server.Log();
  whole = server.Health("");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(*whole, grpc::health::v1::HealthCheckResponse::SERVING);
  const std::string log = server.Log();
  EXPECT_EQ(Count(log, "could not reattach"), 1) << log;
  EXPECT_THAT(log, HasSubstr(absl::StrCat(
                       "platform slurm is unreachable: the ", kSlurmEntries - 1,
                       " other registry entries on it were not checked")));
}

}  // namespace
}  // namespace tao::integration
