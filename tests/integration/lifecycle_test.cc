// Start -> WaitReady -> Infer -> List -> Stop through the gRPC stub, on the
// test platform with the reference backend.
#include <signal.h>

#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/http_probe.h"
#include "tests/integration/server_harness.h"

namespace tao::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

// Waits until `pid` is gone or a zombie nobody reaped yet.
void WaitUntilGone(int pid) {
  for (int i = 0; i < 1000; ++i) {
    std::string stat =
        ReadFileOrEmpty("/proc/" + std::to_string(pid) + "/stat");
    size_t paren = stat.rfind(')');
    if (stat.empty() ||
        (paren != std::string::npos && stat.compare(paren + 2, 1, "Z") == 0)) {
      return;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  ADD_FAILURE() << "pid " << pid << " still runs";
}

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok()) << server_.Log();
    stub_ = server_.NewStub();
  }

  v1::InferRequest ImageRequest(const std::string& job_id) {
    v1::InferRequest request;
    request.set_job_id(job_id);
    v1::ChatMessage* message = request.add_messages();
    message->set_role(v1::ROLE_USER);
    message->add_parts()->set_text("What is in this picture?");
    v1::Media* image = message->add_parts()->mutable_image();
    image->set_data(TinyPng());
    image->set_mime_type("image/png");
    return request;
  }

  ServerHarness server_;
  std::unique_ptr<v1::InferenceService::Stub> stub_;
};

TEST_F(LifecycleTest, StartWaitInferListStop) {
  auto started =
      StartService(*stub_, "cosmos-rl", "/models/cosmos-reason1+load-ms-300");
  ASSERT_TRUE(started.ok()) << started.status() << server_.Log();
  const v1::Service& service = started->service();
  EXPECT_EQ(service.platform(), "test");
  EXPECT_EQ(service.network_arch(), "cosmos-rl");
  EXPECT_EQ(service.host_port(), server_.first_service_port());
  EXPECT_TRUE(service.latest());

  WaitResult waited = WaitReady(*stub_, service.job_id());
  ASSERT_TRUE(waited.status.ok()) << waited.status.error_message();
  EXPECT_EQ(waited.final_state(), v1::SERVICE_STATE_READY);
  std::set<v1::ServiceState> seen;
  for (const auto& event : waited.events) {
    seen.insert(event.state());
    EXPECT_EQ(event.job_id(), service.job_id());
  }
  EXPECT_TRUE(seen.count(v1::SERVICE_STATE_LOADING) ||
              seen.count(v1::SERVICE_STATE_STARTING))
      << "no progress before READY";

  grpc::ClientContext infer_context;
  v1::InferResponse answer;
  grpc::Status status =
      stub_->Infer(&infer_context, ImageRequest(service.job_id()), &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.job_id(), service.job_id());
  EXPECT_EQ(answer.network_arch(), "cosmos-rl");
  ASSERT_THAT(answer.choices(), SizeIs(1));
  EXPECT_THAT(answer.choices(0).text(), HasSubstr("What is in this picture?"));
  EXPECT_EQ(answer.applied().max_tokens(), 1024);
  EXPECT_DOUBLE_EQ(answer.applied().temperature(), 0.7);
  EXPECT_FALSE(answer.applied().has_guidance());

  // The backend got exactly one request, with the defaults applied.
  auto requests = GetJson(service.host_url() + "/_reference/requests");
  ASSERT_TRUE(requests.ok()) << requests.status();
  ASSERT_EQ(requests->size(), 1u) << requests->dump();
  const nlohmann::json& sent = (*requests)[0];
  EXPECT_EQ(sent["max_tokens"], 1024);
  EXPECT_TRUE(absl::StartsWith(
      sent["messages"][0]["content"][1]["image_url"]["url"].get<std::string>(),
      "data:image/png;base64,"))
      << sent.dump();

  grpc::ClientContext list_context;
  v1::ListResponse listed;
  ASSERT_TRUE(stub_->List(&list_context, v1::ListRequest(), &listed).ok());
  ASSERT_THAT(listed.services(), SizeIs(1));
  EXPECT_EQ(listed.latest_job_id(), service.job_id());

  grpc::ClientContext stop_context;
  v1::StopRequest stop;
  stop.set_job_id(service.job_id());
  v1::StopResponse stopped;
  status = stub_->Stop(&stop_context, stop, &stopped);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stopped.latest_job_id(), "");
  EXPECT_EQ(server_.ReadState(), nlohmann::json::object());
  EXPECT_FALSE(GetJson(service.host_url() + "/api/v1/health/liveness").ok())
      << "the backend still answers after Stop";
}

TEST_F(LifecycleTest, ConcurrentStartsGetLowestDistinctPorts) {
  constexpr int kStarts = 3;
  std::vector<absl::StatusOr<v1::StartResponse>> results(
      kStarts, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kStarts; ++i) {
    threads.emplace_back([&, i] {
      auto stub = server_.NewStub();
      results[i] = StartService(*stub, "cosmos-rl", "/models/reasoner");
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<int> ports;
  for (const auto& result : results) {
    ASSERT_TRUE(result.ok()) << result.status();
    ports.insert(result->service().host_port());
  }
  const int first = server_.first_service_port();
  EXPECT_EQ(ports, (std::set<int>{first, first + 1, first + 2}));

  // Each one is its own backend, reachable on its own port.
  for (const auto& result : results) {
    WaitResult waited = WaitReady(*stub_, result->service().job_id());
    EXPECT_EQ(waited.final_state(), v1::SERVICE_STATE_READY);
    auto launch = GetJson(result->service().host_url() + "/_reference/launch");
    ASSERT_TRUE(launch.ok()) << launch.status();
    EXPECT_EQ((*launch)["env"]["TAO_API_JOB_ID"], result->service().job_id());
  }
}

TEST_F(LifecycleTest, RegistryFileMatchesTheOriginalSchema) {
  auto first = StartService(*stub_, "cosmos-rl", "/models/a");
  ASSERT_TRUE(first.ok()) << first.status();
  auto second =
      StartService(*stub_, "cosmos-predict2.5",
                   "hf_model://nvidia/Cosmos-Predict2.5-2B", "base-2b");
  ASSERT_TRUE(second.ok()) << second.status();

  nlohmann::json state = server_.ReadState();
  ASSERT_TRUE(state.is_object()) << state.dump();
  EXPECT_EQ(state["latest"], second->service().job_id());
  for (const auto* started : {&*first, &*second}) {
    const v1::Service& service = started->service();
    const nlohmann::json& entry = state[service.job_id()];
    EXPECT_EQ(entry["job_id"], service.job_id());
    EXPECT_EQ(entry["platform"], "test");
    EXPECT_EQ(entry["network_arch"], service.network_arch());
    EXPECT_EQ(entry["host_url"], service.host_url());
    EXPECT_EQ(entry["host_port"], service.host_port());
    // ISO-8601 UTC, as the original's datetime.isoformat() or 'Z'.
    const std::string started_at = entry["started_at"];
    EXPECT_TRUE(absl::EndsWith(started_at, "+00:00") ||
                absl::EndsWith(started_at, "Z"))
        << started_at;
    EXPECT_FALSE(entry.contains("platform_job_id"));
  }

  // Stopping the latest hands `latest` to the remaining newest entry.
  grpc::ClientContext context;
  v1::StopRequest stop;
  stop.set_job_id(second->service().job_id());
  v1::StopResponse stopped;
  ASSERT_TRUE(stub_->Stop(&context, stop, &stopped).ok());
  EXPECT_EQ(stopped.latest_job_id(), first->service().job_id());
  EXPECT_EQ(server_.ReadState()["latest"], first->service().job_id());
}

TEST_F(LifecycleTest, RequestIdMakesStartIdempotent) {
  v1::StartRequest request;
  request.set_platform("test");
  request.set_network_arch("cosmos-rl");
  request.set_model_path("/models/a");
  request.set_request_id("retry-me-1");
  v1::StartResponse first, second;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->Start(&context, request, &first).ok());
  }
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->Start(&context, request, &second).ok());
  }
  EXPECT_FALSE(first.replayed());
  EXPECT_TRUE(second.replayed());
  EXPECT_EQ(first.service().job_id(), second.service().job_id());
  EXPECT_EQ(server_.ReadState().size(), 2u);  // one entry + latest
}

TEST_F(LifecycleTest, ServerRestartKeepsServicesAndReportsGoneOnes) {
  auto kept = StartService(*stub_, "cosmos-rl", "/models/a");
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(WaitReady(*stub_, kept->service().job_id()).final_state(),
            v1::SERVICE_STATE_READY);
  // Simulate an entry whose workload vanished while the server was down.
  auto gone = StartService(*stub_, "cosmos-rl", "/models/b");
  ASSERT_TRUE(gone.ok()) << gone.status();
  server_.Signal(SIGTERM);
  ASSERT_TRUE(server_.WaitExit(absl::Seconds(30)).ok());
  const std::string pid_text =
      server_.ReadState()[gone->service().job_id()]["platform_data"]["pid"];
  const int pid = std::stoi(pid_text);
  kill(-pid, SIGKILL);  // its whole process group
  WaitUntilGone(pid);

  ASSERT_TRUE(server_.Start().ok()) << server_.Log();
  stub_ = server_.NewStub();
  EXPECT_THAT(server_.Log(), HasSubstr(gone->service().job_id()));

  grpc::ClientContext context;
  v1::ListRequest list;
  list.set_refresh(true);
  v1::ListResponse listed;
  ASSERT_TRUE(stub_->List(&context, list, &listed).ok());
  ASSERT_THAT(listed.services(), SizeIs(2));  // never dropped silently
  for (const v1::Service& service : listed.services()) {
    if (service.job_id() == kept->service().job_id()) {
      EXPECT_EQ(service.state(), v1::SERVICE_STATE_READY);
    } else {
      // Not a child of this server: it cannot know an exit code.
      EXPECT_THAT(service.state(), ::testing::AnyOf(v1::SERVICE_STATE_STOPPED,
                                                    v1::SERVICE_STATE_FAILED))
          << service.ShortDebugString();
    }
  }
  // The kept one still answers inference after the restart.
  grpc::ClientContext infer_context;
  v1::InferResponse answer;
  grpc::Status status = stub_->Infer(
      &infer_context, ImageRequest(kept->service().job_id()), &answer);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace
}  // namespace tao::integration
