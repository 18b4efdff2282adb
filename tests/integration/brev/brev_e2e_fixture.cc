#include "tests/integration/brev/brev_e2e_fixture.h"

#include <signal.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "platforms/brev/remote_container.h"
#include "tests/fakes/common/docker_containers.h"
#include "tests/platforms/local_docker/docker_test_env.h"
#include "tests/support/test_sshd.h"

namespace tao::integration::brev {
namespace {

namespace docker_env = ::tao::platforms::local_docker::testing;
namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool ProcessRuns(pid_t pid) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  const std::string stat = ReadWhole(absl::StrCat("/proc/", pid, "/stat"));
  const size_t close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() &&
         stat[close + 2] != 'Z';
}

void BrevE2eTest::SetUp() {
  TAO_REQUIRE_DOCKER_ENGINE(docker_host_);
  absl::StatusOr<platforms::SshTarget> sshd = tests::TestSshd();
  if (!sshd.ok()) {
    if (std::getenv("TAO_REQUIRE_SLURM") != nullptr) {
      FAIL() << sshd.status() << " (TAO_REQUIRE_SLURM is set)";
    }
    GTEST_SKIP() << sshd.status();
  }
  absl::Status image = docker_env::EnsureTestImage(docker_host_);
  ASSERT_TRUE(image.ok()) << image;
  owner_ = docker_env::UniqueName("tao-brev-e2e");
  absl::StatusOr<std::unique_ptr<fakes::brev::FakeBrevHome>> fake =
      fakes::brev::FakeBrevHome::Create(FakeOptions());
  ASSERT_TRUE(fake.ok()) << fake.status();
  fake_ = *std::move(fake);
  StartServer(ServerEnvironment(), owner_);
}

void BrevE2eTest::AdjustServerConfig(ServerConfig& config) {
  config.flags.push_back("--service-ports=8080-8199");
}

std::map<std::string, std::string> BrevE2eTest::ServerEnvironment() const {
  std::map<std::string, std::string> env;
  std::vector<std::string> knobs;
  for (const auto& [name, value] : fake_->Environment()) {
    if (name == "HOME" || name == "PATH") env[name] = value;
    if (name.rfind("FAKE_BREV_", 0) == 0) {
      env[name] = value;
      knobs.push_back(name);
    }
  }
  env["TAO_BREV_KEEP_ENV"] = absl::StrJoin(knobs, ",");
  env["TAO_BREV_SSH_CONFIG"] = fake_->ssh_config();
  env["TAO_BREV_TUNNEL_DIR"] = fake_->home() + "/tunnels";
  env["TAO_BREV_GPUS"] = "none";  // no GPUs on test machines
  return env;
}

void BrevE2eTest::TearDown() {
  if (ready_) {
    calls_.ExpectNowhere(hf_token_, "HF_TOKEN value");
    ExpectCanaryOnlyInContainers();
  }
  if (ready_ && server_.running()) {
    server_.Signal(SIGTERM);
    (void)server_.WaitExit(absl::Seconds(30));
  }
  // The driver's containers go over plain ssh, unknown to the fake: a
  // failed test's are removed here.
  if (!owner_.empty()) {
    if (absl::StatusOr<std::unique_ptr<fakes::DockerContainers>> docker =
            fakes::DockerContainers::Connect(docker_host_);
        docker.ok()) {
      (*docker)->RemoveLabelled(platforms::brev::kLabelServerInstance, owner_);
    }
  }
  fake_.reset();
}

v1::StartRequest BrevE2eTest::StartRequestFor(
    const std::string& network_arch, const std::string& instance) const {
  v1::StartRequest request = ReferenceStartRequest(kPlatform, network_arch);
  if (!instance.empty()) request.mutable_brev()->set_instance_id(instance);
  return request;
}

RunOutput BrevE2eTest::CliStart(const std::string& network_arch,
                                const std::string& instance) {
  const v1::StartRequest request = StartRequestFor(network_arch, instance);
  std::vector<std::string> args = {"start",
                                   "--platform",
                                   kPlatform,
                                   "--network-arch",
                                   network_arch,
                                   "--model-path",
                                   request.model_path(),
                                   "--wait",
                                   "--timeout",
                                   "180"};
  if (!request.model_key().empty()) {
    args.insert(args.end(), {"--model-key", request.model_key()});
  }
  if (!instance.empty()) {
    args.insert(args.end(),
                {"--option", absl::StrCat("instance_id=", instance)});
  }
  return calls_.Cli(args);
}

std::vector<std::string> BrevE2eTest::LiveInstances() const {
  std::vector<std::string> names;
  absl::StatusOr<fakes::brev::State> state = fake_->ReadState();
  if (!state.ok()) return names;
  for (const fakes::brev::Instance& instance : state->instances) {
    if (instance.status != "DELETING") names.push_back(instance.name);
  }
  return names;
}

std::vector<std::string> BrevE2eTest::OurContainers() const {
  absl::StatusOr<std::unique_ptr<fakes::DockerContainers>> docker =
      fakes::DockerContainers::Connect(docker_host_);
  if (!docker.ok()) {
    ADD_FAILURE() << docker.status();
    return {};
  }
  absl::StatusOr<std::vector<std::string>> listed =
      (*docker)->ListLabelled(platforms::brev::kLabelServerInstance, owner_);
  if (!listed.ok()) {
    ADD_FAILURE() << listed.status();
    return {};
  }
  return *listed;
}

bool BrevE2eTest::InstanceGoneSoon(const std::string& name) const {
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (fake_->FindInstance(name).has_value()) {
    if (absl::Now() > give_up) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

void BrevE2eTest::ExpectNoContainerLeft() const {
  EXPECT_THAT(OurContainers(), ::testing::IsEmpty())
      << "containers left on the engine";
}

void BrevE2eTest::ExpectCanaryOnlyInContainers() const {
  // The instances' /tmp is this host's: no env file may outlive its
  // docker run (mktemp's tmp.XXXXXXXXXX).
  std::error_code listed;
  for (const fs::directory_entry& entry :
       fs::directory_iterator("/tmp", listed)) {
    if (entry.path().filename().string().rfind("tmp.", 0) != 0 ||
        !entry.is_regular_file()) {
      continue;
    }
    EXPECT_THAT(ReadWhole(entry.path()), Not(HasSubstr(hf_token_)))
        << "an env file with the HF_TOKEN is left: " << entry.path();
  }
  for (const std::string& root : {fake_->home(), fake_->fake_dir()}) {
    std::error_code error;
    for (fs::recursive_directory_iterator it(root, error), end;
         !error && it != end; it.increment(error)) {
      if (!it->is_regular_file()) continue;
      EXPECT_THAT(ReadWhole(it->path()), Not(HasSubstr(hf_token_)))
          << "the HF_TOKEN is in " << it->path();
    }
  }
}

}  // namespace tao::integration::brev
