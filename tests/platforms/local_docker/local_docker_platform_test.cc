// The local-docker driver against a REAL Docker engine (scripts/docker-up)
// running the reference-backend test image (scripts/make-test-image).
// Skipped when no engine answers, unless TAO_REQUIRE_DOCKER is set.
#include "platforms/local_docker/local_docker_platform.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "platforms/local_docker/labels.h"
#include "tests/platforms/local_docker/docker_test_env.h"
#include "tests/support/free_port.h"

namespace tao::platforms::local_docker {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::kTestImage;
using ::testing::Not;
using Phase = RuntimeState::Phase;

constexpr char kSecret[] = "hf_test_secret_4f1b9c";
constexpr absl::Duration kPatience = absl::Seconds(60);

// Spec §5.2's cosmos-rl inner command (for port 8080 it passes no --port).
std::string CosmosRlCommand(const std::string& job_id,
                            const std::string& model_path, int port) {
  nlohmann::json job = {{"job_id", job_id},
                        {"specs", {{"model_path", model_path}}},
                        {"neural_network_name", "cosmos-rl"}};
  nlohmann::json env = {{"TAO_EXECUTION_BACKEND", "local-docker"},
                        {"TAO_API_JOB_ID", job_id},
                        {"CLOUD_BASED", "False"}};
  std::string command =
      absl::StrCat("umask 0 && cosmos-rl-inference-microservice --job '",
                   job.dump(), "' --docker_env_vars '", env.dump(), "'");
  if (port != kDefaultContainerPort)
    absl::StrAppend(&command, " --port ", port);
  return command;
}

class LocalDockerPlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TAO_REQUIRE_DOCKER_ENGINE(docker_host_);
    absl::Status image = testing::EnsureTestImage(docker_host_);
    ASSERT_TRUE(image.ok()) << image;
    api_ = std::make_unique<DockerApi>(*ParseDockerHost(docker_host_));
    network_ = testing::UniqueName("tao-test-net");
    networks_.push_back(network_);
    server_instance_ = testing::UniqueName("tao-test-server");
    platform_ = MakePlatform(Options());
  }

  void TearDown() override {
    if (api_ == nullptr) return;
    for (const std::string& job : jobs_) {
      DockerRequest remove;
      remove.method = "DELETE";
      remove.path = absl::StrCat("/containers/", job);
      remove.query = {{"force", "true"}, {"v", "true"}};
      (void)api_->Call(remove);
    }
    for (const std::string& network : networks_) {
      DockerRequest remove;
      remove.method = "DELETE";
      remove.path = absl::StrCat("/networks/", network);
      (void)api_->Call(remove);
    }
  }

  LocalDockerOptions Options() const {
    return testing::TestOptions(docker_host_, network_);
  }

  std::unique_ptr<LocalDockerPlatform> MakePlatform(
      LocalDockerOptions options) {
    absl::StatusOr<std::unique_ptr<LocalDockerPlatform>> platform =
        LocalDockerPlatform::Create(std::move(options));
    EXPECT_TRUE(platform.ok()) << platform.status();
    return platform.ok() ? *std::move(platform) : nullptr;
  }

  // A cosmos-rl launch of the test image; the job is cleaned up afterwards.
  LaunchSpec CosmosSpec(
      const std::string& model_path = "hf_model://nvidia/test") {
    LaunchSpec spec;
    spec.job_id = testing::RandomJobId();
    jobs_.push_back(spec.job_id);
    spec.network_arch = "cosmos-rl";
    spec.image = kTestImage;
    const std::string job_id = spec.job_id;
    spec.inner_command = [job_id, model_path](int port) {
      return CosmosRlCommand(job_id, model_path, port);
    };
    spec.server_instance = server_instance_;
    spec.env = {{"TAO_EXECUTION_BACKEND", "local-docker"},
                {"TAO_API_JOB_ID", spec.job_id},
                {"CLOUD_BASED", "False"}};
    spec.secret_env = {{"HF_TOKEN", kSecret}};
    spec.host_port = tests::FreeTcpPort();
    spec.deadline = absl::Now() + absl::Minutes(2);
    return spec;
  }

  // Launch, keeping the progress messages.
  absl::StatusOr<Placement> Launch(
      const LaunchSpec& spec, std::vector<ProgressEvent>* events = nullptr) {
    return platform_->Launch(spec, [events](const ProgressEvent& event) {
      if (events != nullptr) events->push_back(event);
    });
  }

  std::string ReadinessUrl(int port) const {
    return absl::StrCat("http://127.0.0.1:", port, "/api/v1/health/readiness");
  }

  // GET on the engine; the body parsed (null when not JSON).
  std::pair<long, nlohmann::json> EngineGet(const std::string& path) {
    DockerRequest request;
    request.path = path;
    absl::StatusOr<DockerResponse> response = api_->Call(request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {0, nullptr};
    return {response->status,
            nlohmann::json::parse(response->body, nullptr,
                                  /*allow_exceptions=*/false)};
  }

  // Polls Inspect until the container has exited.
  RuntimeState WaitForExit(const Placement& placement) {
    const absl::Time until = absl::Now() + kPatience;
    RuntimeState state;
    while (absl::Now() < until) {
      absl::StatusOr<RuntimeState> inspected = platform_->Inspect(placement);
      EXPECT_TRUE(inspected.ok()) << inspected.status();
      if (!inspected.ok()) break;
      state = *inspected;
      if (state.phase == Phase::kExited) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    return state;
  }

  std::string docker_host_;
  std::string network_;
  std::string server_instance_;
  std::unique_ptr<DockerApi> api_;
  std::unique_ptr<LocalDockerPlatform> platform_;
  std::vector<std::string> jobs_;
  std::vector<std::string> networks_;
};

TEST_F(LocalDockerPlatformTest, LaunchedServiceAnswersOnItsHostPort) {
  LaunchSpec spec = CosmosSpec();
  absl::StatusOr<Placement> placement = Launch(spec);
  ASSERT_TRUE(placement.ok()) << placement.status();
  EXPECT_EQ(placement->job_id, spec.job_id);
  EXPECT_EQ(placement->host_port, spec.host_port);
  EXPECT_EQ(placement->host_url,
            absl::StrCat("http://localhost:", spec.host_port));
  EXPECT_EQ(placement->docker_url,
            absl::StrCat("http://", spec.job_id, ":8080"));

  absl::StatusOr<RuntimeState> state = platform_->Inspect(*placement);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->phase, Phase::kRunning) << state->detail;

  absl::StatusOr<testing::HttpAnswer> ready =
      testing::HttpGetUntilOk(ReadinessUrl(spec.host_port), kPatience);
  ASSERT_TRUE(ready.ok()) << ready.status();
  ASSERT_EQ(ready->status, 200) << ready->body;
  EXPECT_EQ(nlohmann::json::parse(ready->body)["job_id"], spec.job_id);
}

TEST_F(LocalDockerPlatformTest,
       ContainerIsNamedAndLabelledAndSecretsAreOnlyEnv) {
  LaunchSpec spec = CosmosSpec();
  absl::StatusOr<Placement> placement = Launch(spec);
  ASSERT_TRUE(placement.ok()) << placement.status();

  auto [status, container] =
      EngineGet(absl::StrCat("/containers/", spec.job_id, "/json"));
  ASSERT_EQ(status, 200);
  EXPECT_EQ(container["Name"], absl::StrCat("/", spec.job_id));
  EXPECT_EQ(container["Id"], placement->attributes.at("container_id"));
  const nlohmann::json& config = container["Config"];
  EXPECT_EQ(config["Labels"][kLabelJobId], spec.job_id);
  EXPECT_EQ(config["Labels"][kLabelNetworkArch], "cosmos-rl");
  EXPECT_EQ(config["Labels"][kLabelServerInstance], server_instance_);
  EXPECT_EQ(config["Cmd"], nlohmann::json::array(
                               {"/bin/bash", "-c", *spec.inner_command(8080)}));
  std::vector<std::string> env = config["Env"];
  EXPECT_THAT(env, Contains(absl::StrCat("HF_TOKEN=", kSecret)));
  EXPECT_THAT(env, Contains("TAO_EXECUTION_BACKEND=local-docker"));
  EXPECT_THAT(config["Labels"].dump(), Not(HasSubstr(kSecret)));
  EXPECT_THAT(config["Cmd"].dump(), Not(HasSubstr(kSecret)));

  const nlohmann::json& host = container["HostConfig"];
  EXPECT_EQ(host["NetworkMode"], network_);
  EXPECT_EQ(host["ShmSize"], int64_t{64} << 20);
  EXPECT_EQ(host["PortBindings"]["8080/tcp"][0]["HostIp"], "127.0.0.1");
  EXPECT_EQ(host["PortBindings"]["8080/tcp"][0]["HostPort"],
            absl::StrCat(spec.host_port));
  EXPECT_TRUE(host["DeviceRequests"].is_null() ||
              host["DeviceRequests"].empty());  // TAO_DOCKER_GPUS=none

  // What the backend saw: the secret as an environment variable, not in argv.
  ASSERT_TRUE(
      testing::HttpGetUntilOk(ReadinessUrl(spec.host_port), kPatience).ok());
  absl::StatusOr<testing::HttpAnswer> launch = testing::HttpGet(
      absl::StrCat("http://127.0.0.1:", spec.host_port, "/_reference/launch"));
  ASSERT_TRUE(launch.ok()) << launch.status();
  nlohmann::json seen = nlohmann::json::parse(launch->body);
  EXPECT_EQ(seen["env"]["HF_TOKEN"], kSecret);
  EXPECT_THAT(seen["argv"].dump(), Not(HasSubstr(kSecret)));
  EXPECT_EQ(seen["argv"][0], "cosmos-rl-inference-microservice");
}

TEST_F(LocalDockerPlatformTest, LogsReturnTheLastLines) {
  LaunchSpec spec = CosmosSpec();
  absl::StatusOr<Placement> placement = Launch(spec);
  ASSERT_TRUE(placement.ok()) << placement.status();
  ASSERT_TRUE(
      testing::HttpGetUntilOk(ReadinessUrl(spec.host_port), kPatience).ok());

  // The backend may still be logging the last readiness call: compare the
  // tail with full logs read before and after it, once they agree.
  absl::StatusOr<std::string> all, two, again;
  for (int attempt = 0; attempt < 50; ++attempt) {
    all = platform_->Logs(*placement, 100);
    two = platform_->Logs(*placement, 2);
    again = platform_->Logs(*placement, 100);
    ASSERT_TRUE(all.ok() && two.ok() && again.ok());
    if (*all == *again) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT(*all, HasSubstr("reference backend"));
  std::vector<std::string> lines = absl::StrSplit(*all, '\n');
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(*two, absl::StrCat(lines[lines.size() - 2], "\n", lines.back()));
  // Frame headers are gone.
  EXPECT_EQ(all->find('\0'), std::string::npos);
}

TEST_F(LocalDockerPlatformTest, TerminateRemovesTheContainerAndIsIdempotent) {
  LaunchSpec spec = CosmosSpec();
  absl::StatusOr<Placement> placement = Launch(spec);
  ASSERT_TRUE(placement.ok()) << placement.status();

  ASSERT_TRUE(platform_->Terminate(*placement).ok());
  EXPECT_EQ(EngineGet(absl::StrCat("/containers/", spec.job_id, "/json")).first,
            404);
  absl::StatusOr<RuntimeState> state = platform_->Inspect(*placement);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->phase, Phase::kMissing);
  EXPECT_THAT(state->detail, HasSubstr(spec.job_id));

  EXPECT_TRUE(platform_->Terminate(*placement).ok());
  absl::StatusOr<std::string> logs = platform_->Logs(*placement, 10);
  EXPECT_EQ(logs.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(LocalDockerPlatformTest,
       ContainerExitingDuringStartIsExitedWithItsCode) {
  LaunchSpec spec = CosmosSpec();
  spec.inner_command = [](int) {
    return std::string("echo 'model load failed' >&2; exit 3");
  };
  absl::StatusOr<Placement> placement = Launch(spec);
  ASSERT_TRUE(placement.ok()) << placement.status();
  RuntimeState state = WaitForExit(*placement);
  EXPECT_EQ(state.phase, Phase::kExited);
  EXPECT_TRUE(state.has_exit_code);
  EXPECT_EQ(state.exit_code, 3);
  EXPECT_EQ(state.detail, "exited with code 3");
  absl::StatusOr<std::string> logs = platform_->Logs(*placement, 10);
  ASSERT_TRUE(logs.ok()) << logs.status();
  EXPECT_EQ(*logs, "model load failed");
}

TEST_F(LocalDockerPlatformTest, BackendExitingDuringLoadIsExitedWithItsCode) {
  // The reference backend's knob: exit with code 7 while loading.
  LaunchSpec spec = CosmosSpec("hf_model://nvidia/test+exit-during-load-7");
  absl::StatusOr<Placement> placement = Launch(spec);
  ASSERT_TRUE(placement.ok()) << placement.status();
  RuntimeState state = WaitForExit(*placement);
  EXPECT_EQ(state.phase, Phase::kExited);
  EXPECT_EQ(state.exit_code, 7);
}

TEST_F(LocalDockerPlatformTest, MissingImageIsFailedPreconditionNamingIt) {
  // Nothing can be pulled here: no registry answers.
  for (const std::string& image :
       {absl::StrCat("localhost:1/", testing::UniqueName("tao-missing"), ":v1"),
        absl::StrCat(testing::UniqueName("tao-missing"), ":test")}) {
    SCOPED_TRACE(image);
    LaunchSpec spec = CosmosSpec();
    spec.image = image;
    std::vector<ProgressEvent> events;
    absl::StatusOr<Placement> placement = Launch(spec, &events);
    ASSERT_FALSE(placement.ok());
    EXPECT_EQ(placement.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(placement.status().message()), HasSubstr(image));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().phase, ProgressEvent::Phase::kPulling);
    EXPECT_THAT(events.front().message, HasSubstr("pulling it"));
    EXPECT_EQ(
        EngineGet(absl::StrCat("/containers/", spec.job_id, "/json")).first,
        404);
  }
}

TEST_F(LocalDockerPlatformTest, CreatesTheNetworkWhenMissingAndSaysSo) {
  ASSERT_EQ(EngineGet(absl::StrCat("/networks/", network_)).first, 404);
  std::vector<ProgressEvent> events;
  absl::StatusOr<Placement> first = Launch(CosmosSpec(), &events);
  ASSERT_TRUE(first.ok()) << first.status();
  std::vector<std::string> messages;
  for (const ProgressEvent& e : events) messages.push_back(e.message);
  EXPECT_THAT(messages,
              Contains(absl::StrCat("created Docker network ", network_,
                                    " (it did not exist)")));

  auto [status, network] = EngineGet(absl::StrCat("/networks/", network_));
  ASSERT_EQ(status, 200);
  EXPECT_EQ(network["Name"], network_);
  EXPECT_EQ(network["Labels"][kLabelCreatedBy], kCreatedByValue);
  auto [unused, container] =
      EngineGet(absl::StrCat("/containers/", first->job_id, "/json"));
  EXPECT_TRUE(container["NetworkSettings"]["Networks"].contains(network_));

  // The second launch finds it.
  events.clear();
  absl::StatusOr<Placement> second = Launch(CosmosSpec(), &events);
  ASSERT_TRUE(second.ok()) << second.status();
  for (const ProgressEvent& e : events) {
    EXPECT_THAT(e.message, Not(HasSubstr("created Docker network")));
  }
}

TEST_F(LocalDockerPlatformTest, TwoConcurrentLaunchesServeOnTheirOwnPorts) {
  LaunchSpec a = CosmosSpec();
  LaunchSpec b = CosmosSpec();
  while (b.host_port == a.host_port) b.host_port = tests::FreeTcpPort();
  absl::StatusOr<Placement> placed_a, placed_b;
  std::thread ta([&] { placed_a = Launch(a); });
  std::thread tb([&] { placed_b = Launch(b); });
  ta.join();
  tb.join();
  ASSERT_TRUE(placed_a.ok()) << placed_a.status();
  ASSERT_TRUE(placed_b.ok()) << placed_b.status();
  for (const LaunchSpec* spec : {&a, &b}) {
    absl::StatusOr<testing::HttpAnswer> ready =
        testing::HttpGetUntilOk(ReadinessUrl(spec->host_port), kPatience);
    ASSERT_TRUE(ready.ok()) << ready.status();
    ASSERT_EQ(ready->status, 200);
    EXPECT_EQ(nlohmann::json::parse(ready->body)["job_id"], spec->job_id);
  }
}

TEST_F(LocalDockerPlatformTest,
       TakenHostPortIsResourceExhaustedAndLeavesNothing) {
  LaunchSpec first = CosmosSpec();
  ASSERT_TRUE(Launch(first).ok());
  LaunchSpec second = CosmosSpec();
  second.host_port = first.host_port;
  absl::StatusOr<Placement> placement = Launch(second);
  ASSERT_FALSE(placement.ok());
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr(absl::StrCat(first.host_port)));
  EXPECT_EQ(
      EngineGet(absl::StrCat("/containers/", second.job_id, "/json")).first,
      404);
}

TEST_F(LocalDockerPlatformTest, ListsLabelledContainers) {
  LaunchSpec spec = CosmosSpec();
  ASSERT_TRUE(Launch(spec).ok());
  absl::StatusOr<std::vector<LabelledContainer>> listed =
      platform_->ListLabelledContainers();
  ASSERT_TRUE(listed.ok()) << listed.status();
  const LabelledContainer* ours = nullptr;
  for (const LabelledContainer& c : *listed) {
    if (c.job_id == spec.job_id) ours = &c;
  }
  ASSERT_NE(ours, nullptr);
  EXPECT_EQ(ours->network_arch, "cosmos-rl");
  EXPECT_EQ(ours->server_instance, server_instance_);
  EXPECT_EQ(ours->state, "running");
  EXPECT_FALSE(ours->container_id.empty());
}

TEST_F(LocalDockerPlatformTest, ListOwnedKeepsToThisServerInstance) {
  LaunchSpec ours = CosmosSpec();
  absl::StatusOr<Placement> launched = Launch(ours);
  ASSERT_TRUE(launched.ok()) << launched.status();
  LaunchSpec theirs = CosmosSpec();
  theirs.server_instance = testing::UniqueName("other");
  ASSERT_TRUE(Launch(theirs).ok());

  absl::StatusOr<std::vector<OwnedWorkload>> owned =
      platform_->ListOwned(server_instance_);
  ASSERT_TRUE(owned.ok()) << owned.status();
  std::vector<std::string> ids;
  for (const OwnedWorkload& w : *owned) {
    ids.push_back(w.job_id);
    if (w.job_id != ours.job_id) continue;
    EXPECT_EQ(w.network_arch, "cosmos-rl");
    EXPECT_THAT(w.detail, HasSubstr("Up"));
    EXPECT_THAT(w.detail,
                HasSubstr(absl::StrCat("docker rm -f ", ours.job_id)));
    // The placement Launch returned, read back: enough to adopt it.
    EXPECT_EQ(w.placement.job_id, launched->job_id);
    EXPECT_EQ(w.placement.host_port, launched->host_port);
    EXPECT_EQ(w.placement.host_url, launched->host_url);
    EXPECT_EQ(w.placement.docker_url, launched->docker_url);
    EXPECT_EQ(w.placement.attributes, launched->attributes);
  }
  EXPECT_THAT(ids, Contains(ours.job_id));
  EXPECT_THAT(ids, Not(Contains(theirs.job_id)));
}

TEST_F(LocalDockerPlatformTest, GpuRequestsNeedAnEngineWithGpus) {
  LocalDockerOptions options = Options();
  options.container.gpus_enabled = true;
  platform_ = MakePlatform(options);
  LaunchSpec spec = CosmosSpec();
  spec.num_gpus = 1;
  absl::StatusOr<Placement> placement = Launch(spec);
  auto [status, container] =
      EngineGet(absl::StrCat("/containers/", spec.job_id, "/json"));
  if (placement.ok()) {  // an engine with the NVIDIA toolkit
    ASSERT_EQ(status, 200);
    EXPECT_EQ(container["HostConfig"]["DeviceRequests"][0]["Count"], 1);
    return;
  }
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("TAO_DOCKER_GPUS=none"));
  EXPECT_EQ(status, 404);  // nothing left behind
}

TEST_F(LocalDockerPlatformTest,
       PassedDeadlineIsDeadlineExceededAndLeavesNothing) {
  LaunchSpec spec = CosmosSpec();
  spec.deadline = absl::Now() - absl::Seconds(1);
  absl::StatusOr<Placement> placement = Launch(spec);
  ASSERT_FALSE(placement.ok());
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(EngineGet(absl::StrCat("/containers/", spec.job_id, "/json")).first,
            404);
}

TEST_F(LocalDockerPlatformTest, BadOptionIsInvalidArgumentBeforeAnythingRuns) {
  LaunchSpec spec = CosmosSpec();
  spec.options["bind_address"] = "not-an-ip";
  absl::StatusOr<Placement> placement = Launch(spec);
  ASSERT_FALSE(placement.ok());
  EXPECT_EQ(placement.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(placement.status().message()),
              HasSubstr("docker.bind_address"));
  EXPECT_EQ(EngineGet(absl::StrCat("/networks/", network_)).first, 404);
}

// Needs no engine: nothing answers on this socket.
TEST(LocalDockerUnreachableTest, EveryCallIsUnavailableNamingTheSocket) {
  ASSERT_EQ(setenv("DOCKER_HOST", "unix:///nonexistent.sock", 1), 0);
  absl::StatusOr<LocalDockerOptions> options = OptionsFromEnvironment();
  ASSERT_TRUE(options.ok()) << options.status();
  absl::StatusOr<std::unique_ptr<LocalDockerPlatform>> platform =
      LocalDockerPlatform::Create(*options);
  ASSERT_TRUE(platform.ok()) << platform.status();
  EXPECT_EQ((*platform)->docker_host(), "unix:///nonexistent.sock");

  LaunchSpec spec;
  spec.job_id = testing::RandomJobId();
  spec.image = kTestImage;
  spec.host_port = 8080;
  spec.inner_command = [](int) { return std::string("true"); };
  Placement placement;
  placement.job_id = spec.job_id;
  const absl::Status statuses[] = {
      (*platform)->Launch(spec, nullptr).status(),
      (*platform)->Inspect(placement).status(),
      (*platform)->Terminate(placement),
      (*platform)->Logs(placement, 10).status(),
      (*platform)->ListLabelledContainers().status(),
      (*platform)->ListOwned("server-1").status(),
  };
  for (const absl::Status& status : statuses) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
    EXPECT_THAT(std::string(status.message()),
                HasSubstr("unix:///nonexistent.sock"));
  }
}

TEST(LocalDockerUnreachableTest, UnsupportedDockerHostIsFailedPrecondition) {
  LocalDockerOptions options;
  options.docker_host = "ssh://user@remote";
  absl::StatusOr<std::unique_ptr<LocalDockerPlatform>> platform =
      LocalDockerPlatform::Create(options);
  ASSERT_TRUE(platform.ok()) << platform.status();  // the server still starts
  Placement placement;
  placement.job_id = "x";
  absl::StatusOr<RuntimeState> state = (*platform)->Inspect(placement);
  EXPECT_EQ(state.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(state.status().message()),
              HasSubstr("ssh://user@remote"));
}

TEST(LocalDockerCreateTest, BadDefaultsAreInvalidArgument) {
  LocalDockerOptions options;
  options.container.network = "bad network";
  EXPECT_EQ(LocalDockerPlatform::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Needs no engine.
TEST(LocalDockerCreateTest, ValidateOptionsNamesTheField) {
  absl::StatusOr<std::unique_ptr<LocalDockerPlatform>> platform =
      LocalDockerPlatform::Create(LocalDockerOptions());
  ASSERT_TRUE(platform.ok()) << platform.status();
  EXPECT_TRUE((*platform)->ValidateOptions({}).ok());
  EXPECT_TRUE((*platform)->ValidateOptions({{"network", "team_net"}}).ok());
  absl::Status bad = (*platform)->ValidateOptions({{"bind_address", "nope"}});
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.message(), "docker.bind_address: ")) << bad;
  absl::Status unknown = (*platform)->ValidateOptions({{"partition", "x"}});
  EXPECT_TRUE(absl::StartsWith(unknown.message(), "docker.partition: "))
      << unknown;
}

TEST(LocalDockerCreateTest, IdentifiesItself) {
  absl::StatusOr<std::unique_ptr<LocalDockerPlatform>> platform =
      LocalDockerPlatform::Create(LocalDockerOptions());
  ASSERT_TRUE(platform.ok()) << platform.status();
  EXPECT_EQ((*platform)->name(), "local-docker");
  EXPECT_EQ((*platform)->execution_backend(), "local-docker");
  EXPECT_EQ((*platform)->HostPortScope(LaunchSpec()), kThisHostPortScope);
}

}  // namespace
}  // namespace tao::platforms::local_docker
