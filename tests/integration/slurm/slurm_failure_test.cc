// What SLURM users see when things go wrong, end to end through the real
// tao-inferd on the real cluster: a job cancelled behind the server's back,
// a request the scheduler cannot place, slurmctld down, a dead tunnel.

#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/http_probe.h"
#include "tests/integration/slurm/slurm_e2e_fixture.h"

namespace tao::integration::slurm {
namespace {

namespace slurm_env = ::tao::platforms::slurm::testing;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// docs/cli.md exit codes.
constexpr int kServerError = 1;
constexpr int kServiceFailed = 4;
constexpr int kTimeout = 5;

class SlurmFailureTest : public SlurmE2eTest {
 protected:
  // A copy of the cluster's slurm.conf whose controller port has no
  // listener: slurmctld down, as the server's SLURM tools see it, while the
  // shared cluster keeps serving the other tests.
  std::string DeadControllerConf() {
    const char* current = std::getenv("SLURM_CONF");
    const std::string conf = current != nullptr && *current != '\0'
                                 ? current
                                 : "/etc/slurm/slurm.conf";
    const std::string copy = root_ + "/slurm-controller-down.conf";
    std::ofstream(copy) << ReadFileOrEmpty(conf)
                        << "\nSlurmctldPort=" << slurm_env::FreeHostPort()
                        << "\n";
    return copy;
  }

  // The server log's line about the Start that ended with `code`, once it
  // is there (empty after `patience`).
  std::string StartOutcomeLine(const std::string& code,
                               absl::Duration patience) {
    const std::string marker = "Start cosmos-rl on slurm: " + code;
    const absl::Time give_up = absl::Now() + patience;
    while (true) {
      const std::string log = server_.Log();
      const size_t at = log.find(marker);
      if (at != std::string::npos) {
        return log.substr(at, log.find('\n', at) - at);
      }
      if (absl::Now() > give_up) return "";
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  // SLURM job ids the server submitted, from its log.
  std::vector<std::string> SubmittedJobs() {
    std::vector<std::string> ids;
    const std::string log = server_.Log();
    const std::string marker = "submitted SLURM job ";
    for (size_t at = log.find(marker); at != std::string::npos;
         at = log.find(marker, at + 1)) {
      const size_t start = at + marker.size();
      const size_t end = log.find_first_not_of("0123456789", start);
      ids.push_back(log.substr(start, end - start));
    }
    return ids;
  }

  // One live tunnel forwards the service's port, not `dead_tunnel`, and the
  // registry names it. Tunnels outlive the server: a restarted one (its
  // startup check done when Start returns) adopts that very ssh; Stop then
  // leaves no ssh behind.
  void ExpectRestartAdoptsTheRecordedTunnel(const v1::Service& service,
                                            pid_t dead_tunnel) {
    const int port = service.host_port();
    const std::vector<pid_t> live = slurm_env::ForwardingProcesses(port);
    ASSERT_THAT(live, SizeIs(1));
    EXPECT_NE(live[0], dead_tunnel);
    EXPECT_EQ(server_.RecordedTunnelPid(service.job_id()), live[0]);

    StopServer();
    ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
    EXPECT_THAT(slurm_env::ForwardingProcesses(port),
                ::testing::ElementsAre(live[0]));
    EXPECT_EQ(server_.RecordedTunnelPid(service.job_id()), live[0]);
    ExpectInferWorks(service.job_id(), /*wait_for_ready=*/false);

    v1::StopResponse stopped;
    grpc::Status status = Stop(service.job_id(), &stopped);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ExpectStopped(service);
  }

  void ExpectInferWorks(const std::string& job_id, bool wait_for_ready) {
    v1::InferResponse answer;
    grpc::Status status = Infer(job_id, &answer, wait_for_ready);
    ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
    ASSERT_THAT(answer.choices(), SizeIs(1));
    EXPECT_THAT(answer.choices(0).text(),
                HasSubstr("What is in this picture?"));
  }
};

// scancel by someone else: WaitReady, List --refresh and `tao-infer wait`
// report FAILED with the scheduler's words; Stop still cleans up.
TEST_F(SlurmFailureTest, JobCancelledBehindTheServersBackIsReportedFailed) {
  ASSERT_TRUE(StartServer(Access::kSsh).ok()) << server_.Log();
  const v1::Service service = StartReady(Request("/models/doomed+load-ms-300"));
  ASSERT_FALSE(service.platform_job_id().empty());

  slurm_env::Shell("scancel " + service.platform_job_id());
  // Until the backend is gone, readiness would still say READY.
  for (int i = 0; i < 300; ++i) {
    if (!GetJson(service.host_url() + "/api/v1/health/liveness").ok()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_FALSE(GetJson(service.host_url() + "/api/v1/health/liveness").ok())
      << "the backend still answers after scancel";

  WaitResult waited = Wait(service.job_id());
  EXPECT_TRUE(waited.status.ok()) << waited.status.error_message();
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED);
  EXPECT_EQ(waited.events.back().reason(), "workload_exited");
  EXPECT_THAT(waited.events.back().message(),
              AllOf(HasSubstr("SLURM job " + service.platform_job_id()),
                    HasSubstr("CANCELLED")));

  const v1::Service refreshed = Refreshed(service.job_id());
  EXPECT_THAT(refreshed.state(),
              AnyOf(v1::SERVICE_STATE_FAILED, v1::SERVICE_STATE_STOPPED));
  EXPECT_THAT(refreshed.reason(), AllOf(HasSubstr(service.platform_job_id()),
                                        HasSubstr("CANCELLED")));
  // The tunnel of the ended job was closed.
  EXPECT_THAT(slurm_env::ForwardingProcesses(service.host_port()), IsEmpty());

  RunOutput cli = Cli({"wait", service.job_id()});
  EXPECT_EQ(cli.exit_code, kServiceFailed) << cli.out << cli.err;
  EXPECT_THAT(cli.out + cli.err, HasSubstr("CANCELLED"));

  v1::StopResponse stopped;
  grpc::Status status = Stop(service.job_id(), &stopped);
  EXPECT_TRUE(status.ok()) << status.error_message();
  ExpectStopped(service);
}

// A partition that is down: the job stays PENDING. Start gives up at its
// gRPC deadline, names the scheduler's reason and leaves nothing queued.
TEST_F(SlurmFailureTest, JobPendingPastTheStartDeadlineIsCancelled) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  if (slurm_env::Shell("scontrol show partition maint").find("State=DOWN") ==
      std::string::npos) {
    GTEST_SKIP() << "needs the down partition \"maint\" of scripts/slurm-up";
  }
  v1::StartRequest request = Request("/models/never+load-ms-300");
  request.mutable_slurm()->set_partition("maint");
  constexpr absl::Duration kDeadline = absl::Seconds(4);
  v1::StartResponse response;
  grpc::Status status = Start(request, &response, kDeadline);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << status.error_message();

  // The server stopped waiting at the deadline too (not 20 s later), with
  // the scheduler's reason.
  const std::string outcome =
      StartOutcomeLine("DEADLINE_EXCEEDED", absl::Seconds(20));
  ASSERT_FALSE(outcome.empty()) << "Start still runs 20 s past its deadline:\n"
                                << server_.Log();
  EXPECT_THAT(outcome, AllOf(HasSubstr("PENDING"), HasSubstr("PartitionDown"),
                             HasSubstr("cancelled")));
  const std::vector<std::string> jobs = SubmittedJobs();
  ASSERT_THAT(jobs, SizeIs(1)) << server_.Log();
  EXPECT_EQ(slurm_env::SettledJobState(jobs[0]), "CANCELLED");
  EXPECT_TRUE(RegistryEmpty()) << server_.ReadState().dump();
}

// The same through the CLI: --option reaches the partition and --timeout
// bounds the start itself.
TEST_F(SlurmFailureTest, CliStartTimeoutOnAPendingJobLeavesNothingQueued) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  if (slurm_env::Shell("scontrol show partition maint").find("State=DOWN") ==
      std::string::npos) {
    GTEST_SKIP() << "needs the down partition \"maint\" of scripts/slurm-up";
  }
  RunOutput started = Cli({"start", "--platform", kPlatform, "--network-arch",
                           "cosmos-rl", "--model-path", "/models/never",
                           "--option", "partition=maint", "--timeout", "4"});
  EXPECT_EQ(started.exit_code, kTimeout) << started.out << started.err;
  EXPECT_THAT(started.err, HasSubstr("not started within 4s (--timeout)"));
  ASSERT_FALSE(StartOutcomeLine("DEADLINE_EXCEEDED", absl::Seconds(20)).empty())
      << server_.Log();
  const std::vector<std::string> jobs = SubmittedJobs();
  ASSERT_THAT(jobs, SizeIs(1)) << server_.Log();
  EXPECT_EQ(slurm_env::SettledJobState(jobs[0]), "CANCELLED");
  EXPECT_TRUE(RegistryEmpty()) << server_.ReadState().dump();
}

// Requests no node can ever satisfy fail at once with sbatch's words,
// through the stub and the CLI, and leave nothing queued.
TEST_F(SlurmFailureTest, ImpossibleRequestsFailAtOnceWithTheSchedulersWords) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  v1::StartRequest too_many_gpus = Request("/models/huge");
  too_many_gpus.set_num_gpus(99);
  v1::StartResponse response;
  grpc::Status status = Start(too_many_gpus, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  EXPECT_THAT(status.error_message(),
              HasSubstr("Requested node configuration is not available"));

  v1::StartRequest no_such_partition = Request("/models/a");
  no_such_partition.mutable_slurm()->set_partition("no-such-partition");
  status = Start(no_such_partition, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("Invalid partition"));

  RunOutput cli =
      Cli({"start", "--platform", kPlatform, "--network-arch", "cosmos-rl",
           "--model-path", "/models/huge", "--num-gpus", "99"});
  EXPECT_EQ(cli.exit_code, kServerError) << cli.out << cli.err;
  EXPECT_THAT(cli.out + cli.err,
              HasSubstr("Requested node configuration is not available"));

  for (const std::string& job : SubmittedJobs()) {
    EXPECT_THAT(slurm_env::ScontrolState(job), Not(AnyOf("PENDING", "RUNNING")))
        << "SLURM job " << job;
  }
  EXPECT_TRUE(RegistryEmpty()) << server_.ReadState().dump();
}

TEST_F(SlurmFailureTest, ControllerDownIsUnavailable) {
  ASSERT_TRUE(
      StartServer(Access::kLocal, {{"SLURM_CONF", DeadControllerConf()}}).ok())
      << server_.Log();
  v1::StartResponse response;
  grpc::Status status = Start(Request("/models/a"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_THAT(status.error_message(),
              HasSubstr("Unable to contact slurm controller"));

  RunOutput cli = Cli({"start", "--platform", kPlatform, "--network-arch",
                       "cosmos-rl", "--model-path", "/models/a"});
  EXPECT_EQ(cli.exit_code, kServerError) << cli.out << cli.err;
  EXPECT_THAT(cli.out + cli.err,
              HasSubstr("Unable to contact slurm controller"));
  EXPECT_TRUE(RegistryEmpty()) << server_.ReadState().dump();
}

// The controller goes away while a service runs (a restarted server that
// cannot reach it): the service still answers, List --refresh says the
// state is unknown and why, and Stop fails UNAVAILABLE keeping the entry.
TEST_F(SlurmFailureTest, ControllerDownWhileServingKeepsTheEntry) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  const v1::Service service = StartReady(Request("/models/a+load-ms-300"));
  ASSERT_FALSE(service.job_id().empty());
  StopServer();
  ASSERT_TRUE(
      StartServer(Access::kLocal, {{"SLURM_CONF", DeadControllerConf()}}).ok())
      << server_.Log();

  ExpectInferWorks(service.job_id(), /*wait_for_ready=*/false);

  const v1::Service refreshed = Refreshed(service.job_id());
  EXPECT_EQ(refreshed.state(), v1::SERVICE_STATE_UNKNOWN)
      << refreshed.DebugString();
  EXPECT_THAT(refreshed.reason(),
              HasSubstr("Unable to contact slurm controller"));

  v1::StopResponse stopped;
  grpc::Status status = Stop(service.job_id(), &stopped);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("registry entry is kept"));
  EXPECT_TRUE(server_.Entry(service.job_id()).is_object());
  EXPECT_EQ(slurm_env::ScontrolState(service.platform_job_id()), "RUNNING");
}

// The ssh tunnel dies (killed by pid, as the registry records it): the
// next WaitReady, List --refresh or Infer(wait_for_ready) re-opens it on
// the same host port and Infer works again.
TEST_F(SlurmFailureTest, KilledTunnelIsReopened) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  const v1::Service service = StartReady(Request("/models/a+load-ms-300"));
  ASSERT_FALSE(service.job_id().empty());
  const int port = service.host_port();
  pid_t tunnel = server_.RecordedTunnelPid(service.job_id());

  // WaitReady re-opens it.
  KillTunnel(tunnel, port);
  ASSERT_FALSE(GetJson(service.host_url() + "/api/v1/health/liveness").ok());
  WaitResult waited = Wait(service.job_id());
  EXPECT_TRUE(waited.status.ok()) << waited.status.error_message();
  EXPECT_EQ(waited.final_state(), v1::SERVICE_STATE_READY);
  std::vector<pid_t> forwarding = slurm_env::ForwardingProcesses(port);
  ASSERT_THAT(forwarding, SizeIs(1));
  EXPECT_NE(forwarding[0], tunnel);
  ExpectInferWorks(service.job_id(), /*wait_for_ready=*/false);

  // List --refresh re-opens it.
  tunnel = forwarding[0];
  KillTunnel(tunnel, port);
  const v1::Service refreshed = Refreshed(service.job_id());
  EXPECT_EQ(refreshed.state(), v1::SERVICE_STATE_READY)
      << refreshed.DebugString();
  forwarding = slurm_env::ForwardingProcesses(port);
  ASSERT_THAT(forwarding, SizeIs(1));
  EXPECT_NE(forwarding[0], tunnel);
  ExpectInferWorks(service.job_id(), /*wait_for_ready=*/false);

  // Infer with wait_for_ready re-opens it (the connection fails first).
  tunnel = forwarding[0];
  KillTunnel(tunnel, port);

  ExpectInferWorks(service.job_id(), /*wait_for_ready=*/true);
  EXPECT_THAT(slurm_env::ForwardingProcesses(port), SizeIs(1));

  v1::StopResponse stopped;
  grpc::Status status = Stop(service.job_id(), &stopped);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectStopped(service);
}

// A plain Infer (no wait_for_ready) to a dead tunnel: the connection
// fails before anything is sent, the platform re-opens the tunnel
// (EnsureReachable) and the request is sent once more.
TEST_F(SlurmFailureTest, PlainInferReopensAKilledTunnel) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  const v1::Service service = StartReady(Request("/models/a+load-ms-300"));
  ASSERT_FALSE(service.job_id().empty());
  KillTunnel(server_.RecordedTunnelPid(service.job_id()), service.host_port());
  ExpectInferWorks(service.job_id(), /*wait_for_ready=*/false);
  EXPECT_THAT(slurm_env::ForwardingProcesses(service.host_port()), SizeIs(1));
}

// A tunnel re-opened while the server runs is recorded in the registry, so
// that a restarted server adopts that live ssh instead of failing to open
// another one on the same port (and leaking the first).
TEST_F(SlurmFailureTest, ReopenedTunnelIsRecordedAndAdoptedAfterARestart) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  const v1::Service service = StartReady(Request("/models/a+load-ms-300"));
  ASSERT_FALSE(service.job_id().empty());
  const pid_t first = server_.RecordedTunnelPid(service.job_id());
  KillTunnel(first, service.host_port());
  ExpectInferWorks(service.job_id(), /*wait_for_ready=*/false);
  ExpectRestartAdoptsTheRecordedTunnel(service, first);
}

// A tunnel that died while no server ran is re-opened by the startup check
// and recorded, so that the next restart adopts it.
TEST_F(SlurmFailureTest, TunnelReopenedAtStartupIsRecorded) {
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  const v1::Service service = StartReady(Request("/models/a+load-ms-300"));
  ASSERT_FALSE(service.job_id().empty());
  StopServer();
  const pid_t first = server_.RecordedTunnelPid(service.job_id());
  KillTunnel(first, service.host_port());
  // Start returns once its startup check is done.
  ASSERT_TRUE(StartServer(Access::kLocal).ok()) << server_.Log();
  ExpectRestartAdoptsTheRecordedTunnel(service, first);
}

}  // namespace
}  // namespace tao::integration::slurm
