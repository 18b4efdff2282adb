// The shared ssh plumbing against the REAL OpenSSH server on 127.0.0.1
// (scripts/sshd-up): commands with their exit codes and stdin, the clean
// local environment, refused connections, and PID-owned tunnels (open,
// reuse, adopt, repair, close). Skipped without the sshd unless
// TAO_REQUIRE_SLURM is set (the scripts start it with SLURM).
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "platforms/common/http/http_client.h"
#include "platforms/common/ssh/command_runner.h"
#include "platforms/common/ssh/tunnel_manager.h"
#include "tests/support/free_port.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_sshd.h"

namespace tao::platforms {
namespace {

using ::testing::HasSubstr;

class SshTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SshTarget> sshd = tests::TestSshd();
    if (sshd.ok()) {
      absl::StatusOr<RunResult> login =
          CommandRunner(*sshd, absl::Seconds(20)).Run("true");
      if (!login.ok() || login->exit_code != 0) {
        sshd = absl::UnavailableError("the test sshd refuses the login");
      }
    }
    if (!sshd.ok()) {
      if (std::getenv("TAO_REQUIRE_SLURM") != nullptr) {
        FAIL() << sshd.status();
      }
      GTEST_SKIP() << sshd.status();
    }
    sshd_ = *sshd;
  }

  // Tunnel logs in this test's own folder.
  TunnelManager::Options TunnelOptions() const {
    TunnelManager::Options options;
    options.log_dir = logs_.path();
    return options;
  }

  SshTarget sshd_;
  tests::TempDir logs_{"ssh-tunnels"};
};

TEST_F(SshTest, RunsOverSshWithTheCommandsExitCodeAndStdin) {
  CommandRunner runner(sshd_, absl::Seconds(20));
  absl::StatusOr<RunResult> result = runner.Run("cat; exit 3", "over stdin");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_EQ(result->output, "over stdin");
}

TEST_F(SshTest, ReachesAnAliasOfItsConfigFileOnly) {
  // As `brev refresh` writes it: the alias is all a command names.
  const std::string config = logs_.path() + "/ssh_config";
  {
    std::ofstream out(config);
    out << "Host test-instance\n  Hostname 127.0.0.1\n  Port " << sshd_.port
        << "\n  User " << sshd_.user << "\n  IdentityFile \"" << sshd_.key_path
        << "\"\n  IdentitiesOnly yes\n  UserKnownHostsFile "
        << (sshd_.known_hosts.empty() ? "/dev/null" : sshd_.known_hosts)
        << "\n";
  }
  SshTarget alias;
  alias.host = "test-instance";
  alias.config_file = config;
  absl::StatusOr<RunResult> result =
      CommandRunner(alias, absl::Seconds(20)).Run("echo via-alias");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, 0) << result->output;
  EXPECT_EQ(result->output, "via-alias\n");
  EXPECT_EQ(SshOptions(alias)[1], "-F");
}

TEST_F(SshTest, RefusedConnectionIsUnavailableWithTheContextsHint) {
  SshTarget closed = sshd_;
  closed.port = tests::FreeTcpPort();
  RunnerContext context;
  context.host_role = "login host";
  context.unreachable_hint = "check THE_SETTINGS";
  CommandRunner runner(closed, absl::Seconds(20), context);
  absl::StatusOr<RunResult> result = runner.Run("true");
  EXPECT_TRUE(absl::IsUnavailable(result.status())) << result.status();
  EXPECT_THAT(result.status().message(),
              HasSubstr(absl::StrCat("cannot reach login host ",
                                     SshDestination(closed))));
  EXPECT_THAT(result.status().message(), HasSubstr("check THE_SETTINGS"));
}

TEST(CommandRunnerLocalTest, KeepsOnlyTheContextsVariables) {
  ::setenv("TAO_SSH_TEST_SECRET", "not-for-children", 1);
  ::setenv("TAO_SSH_TEST_KEPT", "kept", 1);
  RunnerContext context;
  context.local_env.push_back("TAO_SSH_TEST_KEPT");
  CommandRunner runner(SshTarget(), absl::Seconds(20), context);
  absl::StatusOr<RunResult> result = runner.Run(
      "echo \"${TAO_SSH_TEST_SECRET:-unset} ${TAO_SSH_TEST_KEPT:-unset}\"");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->output, "unset kept\n");
}

// An HTTP server on a free loopback port: the service behind the tunnel.
class Service {
 public:
  Service() {
    server_.Get("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_content("behind the tunnel", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 1000 && !server_.is_running(); ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  ~Service() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// The body of GET / through the tunnel's host port, or the failure.
std::string GetThrough(int host_port) {
  http::HttpClient client;
  http::HttpRequest request;
  request.url = absl::StrCat("http://127.0.0.1:", host_port, "/");
  request.timeout = absl::Seconds(10);
  absl::StatusOr<http::HttpExchange> answer = client.Send(request, "tunnel");
  return answer.ok() ? answer->body : std::string(answer.status().message());
}

// Waits (bounded) until `pid` no longer runs the tunnel of `spec`: a killed
// ssh goes at its own pace, and may linger as a zombie (which runs nothing)
// until its parent reaps it.
bool GoneWithin(pid_t pid, const TunnelSpec& spec, absl::Duration limit) {
  const absl::Time end = absl::Now() + limit;
  while (TunnelManager::IsTunnelProcess(pid, spec) && absl::Now() < end) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  return !TunnelManager::IsTunnelProcess(pid, spec);
}

TEST_F(SshTest, TunnelsAreOpenedReusedAdoptedRepairedAndClosedByPid) {
  Service service;
  TunnelManager tunnels(TunnelOptions());
  TunnelSpec spec{sshd_, tests::FreeTcpPort(), "127.0.0.1", service.port()};

  absl::StatusOr<pid_t> opened = tunnels.Ensure("job-a", spec);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(GetThrough(spec.host_port), "behind the tunnel");
  EXPECT_TRUE(TunnelManager::IsTunnelProcess(*opened, spec));

  // Asked again: the same process.
  absl::StatusOr<pid_t> again = tunnels.Ensure("job-a", spec);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *opened);

  // A manager of a later server adopts the live tunnel by its pid.
  TunnelManager later(TunnelOptions());
  absl::StatusOr<pid_t> adopted = later.Ensure("job-a", spec, *opened);
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  EXPECT_EQ(*adopted, *opened);

  // A dead tunnel is replaced by a new process.
  ASSERT_EQ(::kill(*opened, SIGKILL), 0);
  ASSERT_TRUE(GoneWithin(*opened, spec, absl::Seconds(10)));
  absl::StatusOr<pid_t> repaired = later.Ensure("job-a", spec, *opened);
  ASSERT_TRUE(repaired.ok()) << repaired.status();
  EXPECT_NE(*repaired, *opened);
  EXPECT_EQ(GetThrough(spec.host_port), "behind the tunnel");

  later.Close("job-a", spec, *repaired);
  EXPECT_TRUE(GoneWithin(*repaired, spec, absl::Seconds(10)));
  EXPECT_THAT(GetThrough(spec.host_port), HasSubstr("could not connect"));
}

TEST_F(SshTest, APortInUseIsUnavailableWithSshsWords) {
  Service service;
  TunnelManager tunnels(TunnelOptions());
  // The host port is the service's own: ssh cannot listen there.
  TunnelSpec spec{sshd_, service.port(), "127.0.0.1", service.port()};
  absl::StatusOr<pid_t> opened = tunnels.Ensure("job-b", spec);
  EXPECT_TRUE(absl::IsUnavailable(opened.status())) << opened.status();
}

}  // namespace
}  // namespace tao::platforms
