// tao-inferd as a process: refusing a corrupt registry, clean shutdown on
// SIGTERM, health and reflection services, one log line per RPC, no test
// platform in the production binary.
#include <signal.h>

#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(ServerProcessTest, CorruptRegistryStopsTheServerAndIsKept) {
  ServerHarness server;
  const std::string corrupt = "{\"latest\": \"abc\", \"abc\": {\"job_id\": ";
  WriteFile(server.state_path(), corrupt);
  absl::StatusOr<int> code = server.StartExpectingExit();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_NE(*code, 0);
  EXPECT_THAT(server.Log(), HasSubstr(server.state_path()));
  EXPECT_EQ(ReadFileOrEmpty(server.state_path()), corrupt);
}

TEST(ServerProcessTest, OperatorCanMoveACorruptRegistryAside) {
  ServerHarness server;
  WriteFile(server.state_path(), "not json");
  ServerConfig config;
  config.flags = {"--move-corrupt-registry"};
  ASSERT_TRUE(server.Start(config).ok()) << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr(".corrupt-"));
  bool kept = false;
  const std::string log = server.Log();
  for (absl::string_view view : absl::StrSplit(log, '\n')) {
    const std::string line(view);
    size_t at = line.find(server.state_path() + ".corrupt-");
    if (at == std::string::npos) continue;
    std::string path = line.substr(at);
    path = path.substr(0, path.find_first_of(" ;"));
    kept = ReadFileOrEmpty(path) == "not json";
  }
  EXPECT_TRUE(kept) << server.Log();
}

TEST(ServerProcessTest, BadConfigDirIsNamed) {
  ServerHarness server;
  ServerConfig config;
  config.flags = {"--config-dir=/nonexistent/tao-config"};
  absl::StatusOr<int> code = server.StartExpectingExit(config);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_NE(*code, 0);
  EXPECT_THAT(server.Log(), HasSubstr("/nonexistent/tao-config"));
}

TEST(ServerProcessTest, SigtermEndsInFlightCallsAndExitsCleanly) {
  ServerHarness server;
  ASSERT_TRUE(server.Start().ok()) << server.Log();
  auto stub = server.NewStub();
  auto started = StartService(*stub, "cosmos-rl", "/models/a+load-ms-600000");
  ASSERT_TRUE(started.ok()) << started.status();

  // A WaitReady stream is in flight when the signal arrives.
  grpc::ClientContext context;
  v1::WaitReadyRequest request;
  request.set_job_id(started->service().job_id());
  auto reader = stub->WaitReady(&context, request);
  v1::WaitReadyEvent event;
  ASSERT_TRUE(reader->Read(&event));
  server.Signal(SIGTERM);
  while (reader->Read(&event)) {
  }
  grpc::Status status = reader->Finish();
  EXPECT_FALSE(status.ok());
  absl::StatusOr<int> code = server.WaitExit(absl::Seconds(30));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << server.Log();
  EXPECT_THAT(server.Log(), HasSubstr("tao-inferd stopped"));
  // The registry is whole and still lists the service.
  nlohmann::json state = server.ReadState();
  ASSERT_FALSE(state.is_discarded());
  EXPECT_TRUE(state.contains(started->service().job_id())) << state.dump();
}

// The test platform lives in tao-inferd-test only.
TEST(ServerProcessTest, ProductionServerHasNoTestPlatform) {
  absl::StatusOr<RunOutput> help =
      RunChild({TAO_INFERD_PATH, "--helpfull"}, {}, "", absl::Seconds(30));
  ASSERT_TRUE(help.ok()) << help.status();
  const std::string text = help->out + help->err;
  EXPECT_THAT(text, HasSubstr("state_file"));
  EXPECT_THAT(text, Not(HasSubstr("test_platform")));
  EXPECT_THAT(text, Not(HasSubstr("reference_backend")));
  absl::StatusOr<RunOutput> refused = RunChild(
      {TAO_INFERD_PATH, "--enable-test-platform"}, {}, "", absl::Seconds(30));
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_NE(refused->exit_code, 0);
  EXPECT_THAT(refused->err, HasSubstr("enable_test_platform"));
}

TEST(ServerProcessTest, ServesHealthAndLogsOneLinePerRpc) {
  ServerHarness server;
  // Start waits until health says SERVING.
  ASSERT_TRUE(server.Start().ok()) << server.Log();
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("tao.inference.v1.InferenceService");
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  auto stub = server.NewStub();
  grpc::ClientContext list_context;
  v1::ListResponse listed;
  ASSERT_TRUE(stub->List(&list_context, v1::ListRequest(), &listed).ok());
  grpc::ClientContext stop_context;
  v1::StopRequest stop;
  stop.set_job_id("missing-job");
  v1::StopResponse stopped;
  ASSERT_FALSE(stub->Stop(&stop_context, stop, &stopped).ok());

  int list_lines = 0, stop_lines = 0;
  for (absl::string_view line : absl::StrSplit(server.Log(), '\n')) {
    if (absl::StrContains(line, "List") && absl::StrContains(line, "OK")) {
      ++list_lines;
    }
    if (absl::StrContains(line, "Stop") &&
        absl::StrContains(line, "NOT_FOUND")) {
      ++stop_lines;
    }
  }
  EXPECT_EQ(list_lines, 1) << server.Log();
  EXPECT_EQ(stop_lines, 1) << server.Log();
}

}  // namespace
}  // namespace tao::integration
