// What local-docker users see when things go wrong, end to end through the
// real tao-inferd: a missing image, a model that fails to load, a container
// that exits while loading, an unreachable engine, no free port.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/docker/docker_e2e_fixture.h"

namespace tao::integration::docker {
namespace {

using ::testing::HasSubstr;

constexpr int kServiceFailedExit = 4;  // docs/cli.md

using DockerFailureTest = DockerE2eTest;

// How many containers (any state) carry the server's instance label.
size_t ContainersOfServer(const EngineProbe& engine,
                          const std::string& server_instance) {
  absl::StatusOr<nlohmann::json> containers = engine.ListContainersLabelled(
      absl::StrCat("ai.tao.inference.server_instance=", server_instance));
  EXPECT_TRUE(containers.ok()) << containers.status();
  return containers.ok() ? containers->size() : 0;
}

TEST_F(DockerFailureTest, MissingImageIsRefusedNamingTheImage) {
  const std::string image = "nonexistent:tag";
  v1::StartRequest request = StartRequestFor("cosmos-rl", "/models/a");
  request.set_image(image);
  v1::StartResponse response;
  grpc::Status status = Start(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(image));

  // The same through the CLI: not a success, and the image is named.
  RunOutput cli =
      Cli({"start", "--platform", "local-docker", "--network-arch", "cosmos-rl",
           "--model-path", "/models/a", "--image", image});
  EXPECT_NE(cli.exit_code, 0) << cli.out;
  EXPECT_THAT(cli.err, HasSubstr(image));

  const nlohmann::ordered_json state = ReadRegistryFile();
  EXPECT_TRUE(state.is_discarded() || state.empty()) << state.dump();
  EXPECT_EQ(ContainersOfServer(*engine_, server_instance_), 0u);
}

TEST_F(DockerFailureTest, ModelLoadFailureEndsWaitWithModelLoadError) {
  v1::StartResponse started;
  grpc::Status status =
      Start(StartRequestFor("cosmos-rl", "/models/x+load-ms-500+fail-load"),
            &started);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  const std::string job_id = started.service().job_id();
  WaitResult waited = Wait(job_id);
  EXPECT_TRUE(waited.status.ok()) << waited.status.error_message();
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED);
  EXPECT_EQ(waited.events.back().reason(), "model_load_error");

  RunOutput cli = Cli({"wait", job_id});
  EXPECT_EQ(cli.exit_code, kServiceFailedExit) << cli.out << cli.err;
  EXPECT_THAT(cli.out + cli.err, HasSubstr("model_load_error"));
}

TEST_F(DockerFailureTest, ContainerExitingDuringLoadReportsExitCodeAndLogs) {
  v1::StartResponse started;
  grpc::Status status =
      Start(StartRequestFor(
                "cosmos-rl",
                "/models/crashy+load-ms-300+print-env+exit-during-load-3"),
            &started);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  WaitResult waited = Wait(started.service().job_id());
  ASSERT_EQ(waited.final_state(), v1::SERVICE_STATE_FAILED);
  const v1::WaitReadyEvent& last = waited.events.back();
  const std::string text = last.reason() + " " + last.message();
  EXPECT_THAT(text, HasSubstr("exit code 3"));
  // The log tail: what the backend printed before it exited (the names of
  // its environment variables, HF_TOKEN among them, never the value).
  EXPECT_THAT(text, HasSubstr("reference backend"));
  EXPECT_THAT(text, HasSubstr("HF_TOKEN"));

  // The container is kept (exited) so its logs survive until Stop.
  absl::StatusOr<nlohmann::json> container =
      engine_->InspectContainer(started.service().job_id());
  ASSERT_TRUE(container.ok()) << container.status();
  EXPECT_EQ((*container)["State"]["ExitCode"], 3);
}

// A server whose port pool holds a single port.
class DockerPortExhaustionTest : public DockerE2eTest {
 protected:
  void AdjustServerConfig(ServerConfig& config) override {
    const int port = server_.first_service_port();
    config.flags.push_back(absl::StrCat("--service-ports=", port, "-", port));
  }
};

TEST_F(DockerPortExhaustionTest, SecondStartFindsNoPort) {
  v1::StartResponse first;
  grpc::Status status =
      Start(StartRequestFor("cosmos-rl", "/models/a"), &first);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  EXPECT_EQ(first.service().host_port(), server_.first_service_port());

  v1::StartResponse second;
  status = Start(StartRequestFor("cosmos-rl", "/models/b"), &second);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  EXPECT_THAT(status.error_message(),
              HasSubstr(std::to_string(server_.first_service_port())));
  EXPECT_EQ(ReadRegistryFile().size(), 2u)  // one entry + latest
      << ReadRegistryFile().dump(2);
  EXPECT_EQ(ContainersOfServer(*engine_, server_instance_), 1u);
}

// Needs no engine: the point is that none answers.
TEST(DockerUnreachableTest, StartIsUnavailableNamingTheSocket) {
  const std::string socket = "/nonexistent.sock";
  ServerHarness server;
  ServerConfig config;
  config.env = {{"DOCKER_HOST", "unix://" + socket},
                {"TAO_DOCKER_GPUS", "none"},
                {"IMAGE_COSMOS_RL", kTestImage}};
  absl::Status up = server.Start(config);
  ASSERT_TRUE(up.ok()) << up << "\n" << server.Log();

  auto stub = server.NewStub();
  v1::StartRequest request;
  request.set_platform(kPlatform);
  request.set_network_arch("cosmos-rl");
  request.set_model_path("/models/a");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  v1::StartResponse response;
  grpc::Status status = stub->Start(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(socket));

  RunOutput cli =
      server.Cli({"start", "--platform", "local-docker", "--network-arch",
                  "cosmos-rl", "--model-path", "/models/a"});
  EXPECT_NE(cli.exit_code, 0);
  EXPECT_THAT(cli.err, HasSubstr(socket));
  const nlohmann::json state = server.ReadState();
  EXPECT_TRUE(state.is_discarded() || state.empty()) << state.dump();
  // The server itself keeps serving.
  RunOutput listed = server.Cli({"list", "--json"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
}

}  // namespace
}  // namespace tao::integration::docker
