// fake-brev with its instances backed by the REAL sshd of scripts/sshd-up
// (skipped without it unless TAO_REQUIRE_SLURM is set, as the other ssh
// tests) and, for the container tests, the real Docker engine (skipped
// without one unless TAO_REQUIRE_DOCKER=1): refresh's files, exec's footer
// and its second run of a failing command, the STOPPED auto-start, stdin
// names, port-forward returning at once while its forward works, and
// delete taking the forward and the containers away.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/fakes/brev/child_process.h"
#include "tests/fakes/brev/fake_brev_fixture.h"
#include "tests/fakes/brev/instance_machine.h"
#include "tests/fakes/common/docker_containers.h"
#include "tests/fakes/common/http_server_thread.h"
#include "tests/platforms/local_docker/docker_test_env.h"
#include "tests/support/free_port.h"
#include "tests/support/http_get.h"
#include "tests/support/test_sshd.h"

namespace tao::fakes::brev {
namespace {

namespace docker_testing = platforms::local_docker::testing;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string ReadFile(const std::string& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

int CountOf(const std::string& text, const std::string& part) {
  int count = 0;
  for (size_t at = text.find(part); at != std::string::npos;
       at = text.find(part, at + part.size())) {
    ++count;
  }
  return count;
}

// The events of one kind for one alias.
int EventCount(const FakeBrevHome& fake, const std::string& kind,
               const std::string& alias) {
  int count = 0;
  for (const nlohmann::json& event : fake.Events()) {
    if (event.value("event", "") == kind && event.value("alias", "") == alias) {
      ++count;
    }
  }
  return count;
}

// Answers every GET with `body`: a service "on the instance" (this host).
class LocalService {
 public:
  // Listens on `address`: an instance's loopback (instance_machine.h).
  LocalService(const std::string& body, const std::string& address) {
    auto server = std::make_unique<httplib::Server>();
    started_ = thread_.Start(
        std::move(server), address, 0,
        [body](const httplib::Request&, httplib::Response& response) {
          response.set_content(body, "text/plain");
        });
  }
  bool ok() const { return started_.ok(); }
  int port() const { return thread_.port(); }

 private:
  HttpServerThread thread_;
  absl::Status started_;
};

class FakeBrevSshTest : public FakeBrevTest {
 protected:
  void SetUp() override {
    absl::StatusOr<platforms::SshTarget> sshd = tests::TestSshd();
    if (sshd.ok()) {
      absl::StatusOr<int> login =
          RunChild({"ssh", "-F", "/dev/null", "-p", absl::StrCat(sshd->port),
                    "-i", sshd->key_path, "-o", "BatchMode=yes", "-o",
                    "StrictHostKeyChecking=no", "-o",
                    "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10",
                    absl::StrCat(sshd->user, "@", sshd->host), "true"},
                   ChildStdio::kSilent);
      if (!login.ok() || *login != 0) {
        sshd = absl::UnavailableError("the test sshd refuses the login");
      }
    }
    if (!sshd.ok()) {
      if (std::getenv("TAO_REQUIRE_SLURM") != nullptr) FAIL() << sshd.status();
      GTEST_SKIP() << sshd.status() << " (scripts/sshd-up starts it)";
    }
    sshd_key_ = sshd->key_path;
    FakeBrevTest::SetUp();
  }

  // Seeds RUNNING instances and refreshes, as a driver reusing them would.
  void SeedRunning(const std::vector<std::string>& names) {
    for (const std::string& name : names) ASSERT_TRUE(fake_->Seed(name).ok());
    ProcessResult refresh = Brev({"refresh"});
    ASSERT_EQ(refresh.exit_code, 0) << refresh.err;
  }

  std::string sshd_key_;
};

TEST_F(FakeBrevSshTest, RefreshWritesTheKeyTheConfigAndOneIncludeLine) {
  ASSERT_TRUE(fake_->Seed("tao-a").ok());
  ASSERT_TRUE(fake_->Seed("tao-b", "STOPPED").ok());
  ProcessResult refresh = Brev({"refresh"});
  EXPECT_EQ(refresh.exit_code, 0) << refresh.err;
  EXPECT_EQ(refresh.out, "refreshing brev...\nbrev has been refreshed\n");
  const std::string config = ReadFile(fake_->ssh_config());
  EXPECT_THAT(config, StartsWith("# included in ~/.ssh/config\n"));
  EXPECT_THAT(config, HasSubstr("Host tao-a\n  Hostname 127.0.0.1\n"));
  EXPECT_THAT(config, HasSubstr("Host tao-a-host\n"));
  EXPECT_THAT(config, Not(HasSubstr("tao-b")));  // only RUNNING instances
  const std::string key = fake_->home() + "/.brev/brev.pem";
  EXPECT_EQ(ReadFile(key), ReadFile(sshd_key_));
  struct stat st;
  ASSERT_EQ(stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(Brev({"refresh"}).exit_code, 0);
  const std::string user_config = ReadFile(fake_->home() + "/.ssh/config");
  const std::string include =
      absl::StrCat("Include \"", fake_->ssh_config(), "\"");
  EXPECT_THAT(user_config, StartsWith(include + "\n"));
  EXPECT_EQ(CountOf(user_config, include), 1);
}

TEST_F(FakeBrevSshTest, CreateWaitsForRunningThenExecPrintsTheFooter) {
  ProcessResult create = Brev({"create", "tao-a"});
  EXPECT_EQ(create.exit_code, 0) << create.err;
  EXPECT_EQ(create.out, "tao-a\n");
  EXPECT_THAT(create.err, HasSubstr("  tao-a: Ready\n"));
  EXPECT_THAT(ReadFile(fake_->ssh_config()), HasSubstr("Host tao-a\n"));

  ProcessResult exec = Brev({"exec", "tao-a", "echo ok"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.out, "ok\ntao-a\n");
  // No trailing newline: the footer is glued onto the last line.
  EXPECT_EQ(Brev({"exec", "tao-a", "printf abc"}).out, "abctao-a\n");
}

TEST_F(FakeBrevSshTest, AFailingRemoteCommandRunsTwiceAndItsExitCodeIsLost) {
  SeedRunning({"tao-a"});
  ProcessResult exec = Brev({"exec", "tao-a", "echo ran; exit 3"});
  EXPECT_EQ(exec.exit_code, 1);
  EXPECT_EQ(exec.out, "ran\nran\n");  // twice, and no footer
  EXPECT_THAT(exec.err, HasSubstr("Connection failed, checking instance "
                                  "status...\n"));
  EXPECT_THAT(exec.err, EndsWith("exit status 3\n"));
  EXPECT_EQ(EventCount(*fake_, "ssh_exec", "tao-a"), 2);
  const nlohmann::json call = fake_->Calls().back();
  EXPECT_EQ(call["argv"].back(), "echo ran; exit 3");
  EXPECT_EQ(call["stdin"], "devnull");
}

TEST_F(FakeBrevSshTest, WhenTheFirstSshFailsTheCommandRunsOnceAfterTheWait) {
  // sshd "not up yet" for the first two ssh attempts of a new instance.
  fake_->SetEnv("FAKE_BREV_FIRST_SSH_FAILS", "2");
  ASSERT_EQ(Brev({"create", "tao-a"}).exit_code, 0);
  ProcessResult exec = Brev({"exec", "tao-a", "echo once"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.out, "once\ntao-a\n");
  EXPECT_THAT(exec.err, HasSubstr("Connection failed, checking instance "
                                  "status...\n"));
  // The first exec and the first probe failed; a probe then got through.
  EXPECT_EQ(EventCount(*fake_, "ssh_exec", "tao-a"), 2);
  EXPECT_EQ(EventCount(*fake_, "ssh_probe", "tao-a"), 2);
}

TEST_F(FakeBrevSshTest, ExecStartsAStoppedInstanceAndRunsTheCommand) {
  SeedRunning({"tao-a"});
  ASSERT_TRUE(fake_->StopBehindOurBack("tao-a").ok());
  EXPECT_EQ(StatusInLs("tao-a"), "STOPPED");
  // The stale Host block leads nowhere: the machine is off.
  ProcessResult exec = Brev({"exec", "tao-a", "echo back"});
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.out, "back\ntao-a\n");
  EXPECT_THAT(exec.err, HasSubstr("Connection failed, checking instance "
                                  "status...\n"));
  EXPECT_EQ(StatusInLs("tao-a"), "RUNNING");
}

TEST_F(FakeBrevSshTest, ExecReadsMoreInstanceNamesFromAPipedStdin) {
  SeedRunning({"tao-a", "tao-b"});
  ProcessResult exec = Brev({"exec", "echo hi"}, "tao-a\ntao-b\n");
  EXPECT_EQ(exec.exit_code, 0) << exec.err;
  EXPECT_EQ(exec.out, "hi\ntao-a\nhi\ntao-b\n");
  EXPECT_THAT(exec.err, HasSubstr("\n=== tao-a ===\n"));
  EXPECT_THAT(exec.err, HasSubstr("\n=== tao-b ===\n"));
}

TEST_F(FakeBrevSshTest, ExecRecordsTheContainersItsCommandsName) {
  SeedRunning({"tao-a"});
  ASSERT_EQ(Brev({"exec", "tao-a", "echo docker run -d --name tao-job-1 img"})
                .exit_code,
            0);
  std::optional<Instance> instance = fake_->FindInstance("tao-a");
  ASSERT_TRUE(instance.has_value());
  EXPECT_THAT(instance->containers, ::testing::ElementsAre("tao-job-1"));
}

TEST_F(FakeBrevSshTest, PortForwardReturnsAtOnceAndForwardsUntilDelete) {
  SeedRunning({"tao-a"});
  std::optional<Instance> seeded = fake_->FindInstance("tao-a");
  ASSERT_TRUE(seeded.has_value());
  LocalService service("from-the-instance", InstanceLoopback(seeded->id));
  ASSERT_TRUE(service.ok());
  const int local = tests::FreeTcpPort();
  const std::string spec = absl::StrCat(local, ":", service.port());
  ProcessResult forward = Brev({"port-forward", "tao-a", "-p", spec});
  EXPECT_EQ(forward.exit_code, 0) << forward.err;
  EXPECT_LT(forward.elapsed, absl::Seconds(5));
  EXPECT_EQ(forward.out, absl::StrCat("Port forwarding...\nlocalhost:", local,
                                      " -> tao-a:", service.port(), "\n"));
  std::optional<Instance> instance = fake_->FindInstance("tao-a");
  ASSERT_TRUE(instance.has_value());
  ASSERT_EQ(instance->port_forwards.size(), 1u);
  const PortForward recorded = instance->port_forwards[0];
  EXPECT_GT(recorded.pid, 0);
  EXPECT_EQ(recorded.local_port, local);

  const std::string url = absl::StrCat("http://127.0.0.1:", local, "/");
  absl::StatusOr<tests::HttpAnswer> answer =
      tests::HttpGetUntilOk(url, absl::Seconds(15));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->body, "from-the-instance");
  // OpenSSH with the Host block's ControlPersist hands the forward to a
  // background master; the pid brev started does not stay (see README).
  const absl::Time give_up = absl::Now() + absl::Seconds(5);
  while (IsSameProcessRunning(recorded.pid, recorded.start_ticks) &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_FALSE(IsSameProcessRunning(recorded.pid, recorded.start_ticks));

  ProcessResult del = Brev({"delete", "tao-a"});
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_FALSE(tests::HttpGet(url, absl::Seconds(2)).ok())
      << "the forward outlived the deleted instance";
}

TEST_F(FakeBrevSshTest, ABusyLocalPortLeavesBrevSucceedingWithoutAForward) {
  SeedRunning({"tao-a"});
  tests::LoopbackSocket taken(/*listening=*/true);
  ProcessResult forward =
      Brev({"port-forward", "tao-a", "-p", absl::StrCat(taken.port(), ":9")});
  EXPECT_EQ(forward.exit_code, 0) << forward.err;  // no ExitOnForwardFailure
}

class FakeBrevDockerTest : public FakeBrevSshTest {
 protected:
  void SetUp() override {
    FakeBrevSshTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    TAO_REQUIRE_DOCKER_ENGINE(docker_host_);
    auto docker = DockerContainers::Connect(docker_host_);
    ASSERT_TRUE(docker.ok()) << docker.status();
    docker_ = *std::move(docker);
    ASSERT_TRUE(docker_testing::EnsureTestImage(docker_host_).ok());
    container_ = docker_testing::UniqueName("tao-brev-fake");
  }
  void TearDown() override {
    if (docker_ != nullptr) docker_->Remove(container_).IgnoreError();
  }

  bool ContainerExists() {
    absl::StatusOr<ContainerStatus> status = docker_->Inspect(container_);
    return status.ok() && status->state != ContainerStatus::State::kMissing;
  }

  std::string docker_host_;
  std::unique_ptr<DockerContainers> docker_;
  std::string container_;
};

TEST_F(FakeBrevDockerTest, DeleteRemovesTheContainersTheInstanceStarted) {
  ContainerSpec spec;
  spec.name = container_;
  spec.image = docker_testing::kTestImage;
  spec.entrypoint = {"sleep", "600"};
  ASSERT_TRUE(docker_->Run(spec).ok());
  SeedRunning({"tao-a"});
  // What an exec of `docker run --name <container>` records.
  ASSERT_TRUE(fake_
                  ->Change([this](State& s) {
                    s.Find("tao-a")->containers = {container_};
                  })
                  .ok());
  ProcessResult del = Brev({"delete", "tao-a"});
  EXPECT_EQ(del.exit_code, 0) << del.err;
  EXPECT_FALSE(ContainerExists());
}

// The whole path: `docker run` through exec on the real engine as the
// sshd user, a port-forward to the published port, delete reaping both.
// Needs the login user to reach the engine (group docker, or
// FAKE_BREV_SSH_USER set to a user who can).
TEST_F(FakeBrevDockerTest, ExecRunsDockerOnTheRealEngineAndDeleteReapsIt) {
  SeedRunning({"tao-a"});
  ProcessResult access =
      Brev({"exec", "tao-a", "docker version --format '{{.Server.Version}}'"});
  if (access.exit_code != 0) {
    const std::string why = absl::StrCat(
        "the sshd login user cannot use the Docker engine through exec: ",
        access.err);
    if (docker_testing::DockerRequired()) FAIL() << why;
    GTEST_SKIP() << why;
  }
  const int host_port = tests::FreeTcpPort();
  const std::string run = absl::StrCat(
      "docker run -d --name ", container_, " -p 127.0.0.1:", host_port,
      ":8080 ", docker_testing::kTestImage,
      " /bin/bash -c \"exec cosmos-rl-inference-microservice --job "
      "'{\\\"job_id\\\":\\\"j1\\\",\\\"specs\\\":{\\\"model_path\\\":"
      "\\\"hf_model://nvidia/test\\\"},\\\"neural_network_name\\\":"
      "\\\"cosmos-rl\\\"}' --docker_env_vars '{}' --port 8080\"");
  ProcessResult started = Brev({"exec", "tao-a", run});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_THAT(started.out, EndsWith("\ntao-a\n"));
  EXPECT_TRUE(ContainerExists());

  const int local = tests::FreeTcpPort();
  ASSERT_EQ(
      Brev({"port-forward", "tao-a", "-p", absl::StrCat(local, ":", host_port)})
          .exit_code,
      0);
  const std::string url =
      absl::StrCat("http://127.0.0.1:", local, "/api/v1/health/liveness");
  absl::StatusOr<tests::HttpAnswer> live =
      tests::HttpGetUntilOk(url, absl::Seconds(30));
  EXPECT_TRUE(live.ok()) << live.status();

  ASSERT_EQ(Brev({"delete", "tao-a"}).exit_code, 0);
  EXPECT_FALSE(ContainerExists());
  EXPECT_FALSE(tests::HttpGet(url, absl::Seconds(2)).ok());
}

}  // namespace
}  // namespace tao::fakes::brev
