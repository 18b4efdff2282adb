// local-docker end to end through the gRPC stub: the real tao-inferd on a
// real Docker engine runs the reference-backend test image (a test backend,
// not a model) under the unmodified inner commands of spec §5.
#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/docker/docker_e2e_fixture.h"
#include "tests/integration/http_probe.h"

namespace tao::integration::docker {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAreArray;

using DockerLifecycleTest = DockerE2eTest;

std::vector<std::string> CandidateIds(const grpc::Status& status) {
  std::vector<std::string> ids;
  std::optional<v1::ErrorDetails> details = DetailsOf(status);
  if (!details.has_value()) return ids;
  EXPECT_EQ(details->reason_code(), v1::ERROR_REASON_AMBIGUOUS_TARGET);
  for (const v1::Service& candidate : details->candidates()) {
    ids.push_back(candidate.job_id());
  }
  return ids;
}

// The chat requests a backend received (GET /_reference/requests).
size_t RequestsSeenBy(const v1::Service& service) {
  absl::StatusOr<nlohmann::json> requests =
      GetJson(service.host_url() + "/_reference/requests");
  EXPECT_TRUE(requests.ok()) << requests.status();
  return requests.ok() ? requests->size() : 0;
}

TEST_F(DockerLifecycleTest, ConcurrentStartsGetLowestPortsAndJobIdNames) {
  constexpr int kStarts = 3;
  std::vector<v1::StartResponse> responses(kStarts);
  std::vector<grpc::Status> statuses(kStarts);
  std::vector<std::thread> threads;
  for (int i = 0; i < kStarts; ++i) {
    threads.emplace_back([&, i] {
      auto stub = server_.NewStub();
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(120));
      statuses[i] = stub->Start(
          &context,
          StartRequestFor("cosmos-rl", absl::StrCat("/models/reasoner-", i)),
          &responses[i]);
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<int> ports;
  for (int i = 0; i < kStarts; ++i) {
    Saw(statuses[i]);
    Saw(responses[i]);
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message() << "\n"
                                  << server_.Log();
    ports.insert(responses[i].service().host_port());
  }
  const int first = server_.first_service_port();
  EXPECT_EQ(ports, (std::set<int>{first, first + 1, first + 2}));

  // Each is a container named by its job id, labelled as ours, publishing
  // its port on 127.0.0.1 -> 8080, on the test's network.
  std::vector<std::string> job_ids;
  for (const v1::StartResponse& response : responses) {
    const v1::Service& service = response.service();
    job_ids.push_back(service.job_id());
    absl::StatusOr<nlohmann::json> container =
        engine_->InspectContainer(service.job_id());
    ASSERT_TRUE(container.ok()) << container.status();
    EXPECT_EQ((*container)["Name"], "/" + service.job_id());
    const nlohmann::json& labels = (*container)["Config"]["Labels"];
    EXPECT_EQ(labels["ai.tao.inference.job_id"], service.job_id());
    EXPECT_EQ(labels["ai.tao.inference.network_arch"], "cosmos-rl");
    EXPECT_EQ(labels["tao-job"], service.job_id());
    const nlohmann::json& binding =
        (*container)["HostConfig"]["PortBindings"]["8080/tcp"][0];
    EXPECT_EQ(binding["HostPort"], std::to_string(service.host_port()));
    EXPECT_EQ(binding["HostIp"], "127.0.0.1");
    EXPECT_TRUE((*container)["NetworkSettings"]["Networks"].contains(network_))
        << (*container)["NetworkSettings"].dump();
    EXPECT_EQ(service.host_url(),
              absl::StrCat("http://localhost:", service.host_port()));
  }

  for (const std::string& job_id : job_ids) {
    EXPECT_EQ(Wait(job_id).final_state(), v1::SERVICE_STATE_READY);
  }
  // By job id: each request reaches that container and no other.
  for (int i = 0; i < kStarts; ++i) {
    v1::InferRequest request = ChatRequest("Which one are you?", true);
    request.set_job_id(job_ids[i]);
    v1::InferResponse answer;
    grpc::Status status = Infer(request, &answer);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(answer.job_id(), job_ids[i]);
    ASSERT_THAT(answer.choices(), SizeIs(1));
    // The backend names the model it serves: the one this job started.
    EXPECT_EQ(answer.model(), absl::StrCat("/models/reasoner-", i));
    for (int j = 0; j < kStarts; ++j) {
      EXPECT_EQ(RequestsSeenBy(responses[j].service()), j <= i ? 1u : 0u)
          << "backend " << j << " after request " << i;
    }
  }
  // By architecture, with three of it running: refused with the candidates.
  v1::InferRequest by_arch = ChatRequest("Anyone?", true);
  by_arch.set_network_arch("cosmos-rl");
  v1::InferResponse answer;
  grpc::Status status = Infer(by_arch, &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();
  EXPECT_THAT(CandidateIds(status), UnorderedElementsAreArray(job_ids));
}

TEST_F(DockerLifecycleTest, WaitReadyReportsLoadingThenReadyAndInferByArch) {
  v1::StartResponse started;
  grpc::Status status =
      Start(StartRequestFor("cosmos-rl", "/models/cosmos-reason1+load-ms-3000"),
            &started);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  const std::string job_id = started.service().job_id();

  WaitResult waited = Wait(job_id);
  ASSERT_TRUE(waited.status.ok()) << waited.status.error_message();
  std::vector<v1::ServiceState> states;
  for (const v1::WaitReadyEvent& event : waited.events) {
    EXPECT_EQ(event.job_id(), job_id);
    states.push_back(event.state());
  }
  ASSERT_THAT(states, Not(::testing::IsEmpty()));
  EXPECT_EQ(states.back(), v1::SERVICE_STATE_READY);
  auto loading =
      std::find(states.begin(), states.end(), v1::SERVICE_STATE_LOADING);
  ASSERT_NE(loading, states.end()) << "no LOADING event before READY";
  EXPECT_EQ(std::find(states.begin(), states.end(), v1::SERVICE_STATE_FAILED),
            states.end());
  const v1::WaitReadyEvent& loading_event =
      waited.events[loading - states.begin()];
  EXPECT_EQ(loading_event.reason(), "model_loading");

  // The only cosmos-rl service: routing by architecture finds it.
  v1::InferRequest request = ChatRequest("What is in this picture?", true);
  request.set_network_arch("cosmos-rl");
  v1::InferResponse answer;
  status = Infer(request, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.job_id(), job_id);
  EXPECT_EQ(answer.host_url(), started.service().host_url());
  ASSERT_THAT(answer.choices(), SizeIs(1));
  EXPECT_THAT(answer.choices(0).text(), HasSubstr("What is in this picture?"));
  EXPECT_EQ(answer.applied().max_tokens(), 1024);
}

TEST_F(DockerLifecycleTest, SecondArchitectureIsRoutedAndAnswersWithMp4) {
  const v1::Service rl = StartReady("cosmos-rl", "/models/rl");
  const v1::Service predict = StartReady(
      "cosmos-predict2.5", "hf_model://nvidia/Cosmos-Predict2.5-2B", "base-2b");
  ASSERT_FALSE(HasFailure());

  // No target with two services: refused with both, never `latest`.
  v1::InferResponse answer;
  grpc::Status status = Infer(ChatRequest("a robot", false), &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(CandidateIds(status),
              UnorderedElementsAreArray({rl.job_id(), predict.job_id()}));

  v1::InferRequest video = ChatRequest("a robot arm stacking cubes", false);
  video.set_network_arch("cosmos-predict2.5");
  status = Infer(video, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.job_id(), predict.job_id());
  EXPECT_EQ(answer.network_arch(), "cosmos-predict2.5");
  ASSERT_THAT(answer.choices(), SizeIs(1));
  const std::string& mp4 = answer.choices(0).media();
  ASSERT_GT(mp4.size(), 8u);
  EXPECT_EQ(mp4.substr(4, 4), "ftyp") << "not an MP4";
  EXPECT_EQ(answer.choices(0).media_mime_type(), "video/mp4");
  EXPECT_EQ(RequestsSeenBy(predict), 1u);
  EXPECT_EQ(RequestsSeenBy(rl), 0u);

  v1::InferRequest text = ChatRequest("Describe it", true);
  text.set_network_arch("cosmos-rl");
  status = Infer(text, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.job_id(), rl.job_id());
  EXPECT_THAT(answer.choices(0).text(), HasSubstr("Describe it"));
  EXPECT_EQ(RequestsSeenBy(rl), 1u);
  EXPECT_EQ(RequestsSeenBy(predict), 1u);
}

TEST_F(DockerLifecycleTest, RegistryFileMatchesSpecAndStopReassignsLatest) {
  v1::StartResponse first, second;
  grpc::Status status =
      Start(StartRequestFor("cosmos-rl", "/models/first"), &first);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  status =
      Start(StartRequestFor("cosmos-predict2.5", "/models/second"), &second);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();

  // Spec §2, field for field, and in the original's key order.
  const nlohmann::ordered_json state = ReadRegistryFile();
  ASSERT_TRUE(state.is_object()) << ReadFileOrEmpty(server_.state_path());
  EXPECT_EQ(state["latest"], second.service().job_id());
  for (const v1::StartResponse* started : {&first, &second}) {
    const v1::Service& service = started->service();
    SCOPED_TRACE(service.network_arch());
    ASSERT_TRUE(state.contains(service.job_id())) << state.dump(2);
    const nlohmann::ordered_json& entry = state[service.job_id()];
    std::vector<std::string> keys;
    for (const auto& item : entry.items()) keys.push_back(item.key());
    ASSERT_GE(keys.size(), 7u) << entry.dump(2);
    EXPECT_THAT(std::vector<std::string>(keys.begin(), keys.begin() + 7),
                ElementsAre("job_id", "platform", "network_arch", "host_url",
                            "docker_url", "host_port", "started_at"));
    EXPECT_EQ(entry["job_id"], service.job_id());
    EXPECT_EQ(entry["platform"], "local-docker");
    EXPECT_EQ(entry["network_arch"], service.network_arch());
    ASSERT_TRUE(entry["host_port"].is_number_integer()) << entry.dump(2);
    EXPECT_EQ(entry["host_port"], service.host_port());
    EXPECT_EQ(entry["host_url"],
              absl::StrCat("http://localhost:", service.host_port()));
    EXPECT_EQ(entry["docker_url"],
              absl::StrCat("http://", service.job_id(), ":8080"));
    const std::string started_at = entry["started_at"];
    EXPECT_TRUE(absl::EndsWith(started_at, "+00:00") ||
                absl::EndsWith(started_at, "Z"))
        << started_at;
    EXPECT_EQ(started_at.substr(10, 1), "T") << started_at;
    EXPECT_FALSE(entry.contains("platform_job_id"));
    EXPECT_FALSE(entry.contains("slurm_node"));
  }
  // json.dump(indent=2), as the original writes it.
  EXPECT_TRUE(
      absl::StartsWith(ReadFileOrEmpty(server_.state_path()), "{\n  \""))
      << ReadFileOrEmpty(server_.state_path());

  // Stop the latest: its container goes, `latest` moves to the other.
  v1::StopResponse stopped;
  status = Stop(second.service().job_id(), &stopped);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stopped.latest_job_id(), first.service().job_id());
  EXPECT_TRUE(absl::IsNotFound(
      engine_->InspectContainer(second.service().job_id()).status()))
      << "container of the stopped service still exists";
  EXPECT_TRUE(engine_->InspectContainer(first.service().job_id()).ok());
  nlohmann::ordered_json after = ReadRegistryFile();
  EXPECT_EQ(after["latest"], first.service().job_id());
  EXPECT_FALSE(after.contains(second.service().job_id()));

  status = Stop(first.service().job_id(), &stopped);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stopped.latest_job_id(), "");
  EXPECT_TRUE(absl::IsNotFound(
      engine_->InspectContainer(first.service().job_id()).status()));
  EXPECT_EQ(ReadRegistryFile(), nlohmann::ordered_json::object());
  // Stopping again: the service is unknown now.
  status = Stop(first.service().job_id(), &stopped);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
      << status.error_message();
}

// Spec §5: the container runs ["/bin/bash", "-c", <inner>] with the exact
// inner string, the env payload as container env, and HF_TOKEN only there.
// After a restart the server reports, without removing anything, a registry
// entry whose container was removed behind its back and a container of its
// own that the registry lost.
TEST_F(DockerLifecycleTest, RestartReportsGoneAndUnregisteredContainers) {
  v1::StartResponse gone, lost, kept;
  for (v1::StartResponse* response : {&gone, &lost, &kept}) {
    grpc::Status status =
        Start(StartRequestFor("cosmos-rl", "/models/restart"), response);
    ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  }
  const std::string gone_id = gone.service().job_id();
  const std::string lost_id = lost.service().job_id();
  const std::string kept_id = kept.service().job_id();
  ASSERT_TRUE(
      engine_->Call("DELETE", "/containers/" + gone_id, {{"force", "true"}})
          .ok());
  nlohmann::ordered_json state = ReadRegistryFile();
  state.erase(lost_id);
  std::ofstream(server_.state_path()) << state.dump(2);
  const size_t log_before = server_.Log().size();

  RestartServer();

  const std::string log = server_.Log().substr(log_before);
  EXPECT_THAT(log, AllOf(HasSubstr("registry entry " + gone_id),
                         HasSubstr("`tao-infer stop " + gone_id + "`")));
  EXPECT_THAT(log, AllOf(HasSubstr("local-docker runs " + lost_id +
                                   " (cosmos-rl), started by this server but "
                                   "not in the registry"),
                         HasSubstr("docker rm -f " + lost_id)));
  EXPECT_THAT(log, Not(HasSubstr("registry entry " + kept_id)));
  EXPECT_THAT(log, Not(HasSubstr("runs " + kept_id)));
  // Reported, not acted on: the lost container still runs and the gone
  // entry is still listed.
  absl::StatusOr<nlohmann::json> container = engine_->InspectContainer(lost_id);
  ASSERT_TRUE(container.ok()) << container.status();
  EXPECT_EQ((*container)["State"]["Status"], "running");
  EXPECT_TRUE(ReadRegistryFile().contains(gone_id));
}

TEST_F(DockerLifecycleTest, CosmosRlGetsTheSpecCommandAndEnvironment) {
  const v1::Service service =
      StartReady("cosmos-rl", "hf_model://nvidia/Cosmos-Reason1-7B");
  ASSERT_FALSE(HasFailure());
  const std::string& id = service.job_id();
  const std::string job_json =
      absl::StrCat(R"({"job_id":")", id,
                   R"(","specs":{"model_path":"hf_model://nvidia/)"
                   R"(Cosmos-Reason1-7B"},"neural_network_name":"cosmos-rl"})");
  const std::string env_json = absl::StrCat(
      R"({"TAO_EXECUTION_BACKEND":"local-docker","TAO_API_JOB_ID":")", id,
      R"(","CLOUD_BASED":"False"})");
  const std::string inner =
      absl::StrCat("umask 0 && cosmos-rl-inference-microservice --job '",
                   job_json, "' --docker_env_vars '", env_json, "'");

  absl::StatusOr<nlohmann::json> container = engine_->InspectContainer(id);
  ASSERT_TRUE(container.ok()) << container.status();
  EXPECT_EQ((*container)["Config"]["Cmd"],
            nlohmann::json::array({"/bin/bash", "-c", inner}));
  const nlohmann::json& env_list = (*container)["Config"]["Env"];
  for (const std::string& expected :
       {std::string("TAO_EXECUTION_BACKEND=local-docker"),
        absl::StrCat("TAO_API_JOB_ID=", id), std::string("CLOUD_BASED=False"),
        absl::StrCat("HF_TOKEN=", hf_token_)}) {
    EXPECT_THAT(env_list, ::testing::Contains(expected));
  }

  // What the backend itself got: bash ran the inner string unmodified.
  absl::StatusOr<nlohmann::json> launch =
      GetJson(service.host_url() + "/_reference/launch");
  ASSERT_TRUE(launch.ok()) << launch.status();
  const nlohmann::json& argv = (*launch)["argv"];
  ASSERT_TRUE(argv.is_array() && argv.size() == 5u) << argv.dump();
  EXPECT_TRUE(absl::EndsWith(argv[0].get<std::string>(),
                             "cosmos-rl-inference-microservice"))
      << argv[0];
  EXPECT_EQ(argv[1], "--job");
  EXPECT_EQ(argv[2], job_json);
  EXPECT_EQ(argv[3], "--docker_env_vars");
  EXPECT_EQ(argv[4], env_json);
  const nlohmann::json& env = (*launch)["env"];
  EXPECT_EQ(env["TAO_EXECUTION_BACKEND"], "local-docker");
  EXPECT_EQ(env["TAO_API_JOB_ID"], id);
  EXPECT_EQ(env["CLOUD_BASED"], "False");
  EXPECT_EQ(env["HF_TOKEN"], hf_token_);
  EXPECT_FALSE(env.contains("TAO_LOGGING_SERVER_URL"));
  EXPECT_FALSE(env.contains("TAO_ADMIN_KEY"));
  EXPECT_THAT(argv.dump(), Not(HasSubstr(hf_token_)));
  EXPECT_THAT(argv.dump(), Not(HasSubstr("HF_TOKEN")));
  EXPECT_EQ((*launch)["port"], 8080);
}

TEST_F(DockerLifecycleTest, CosmosPredictGetsTheSpecCommandAndEnvironment) {
  const v1::Service service = StartReady(
      "cosmos-predict2.5", "hf_model://nvidia/Cosmos-Predict2.5-2B", "base-2b");
  ASSERT_FALSE(HasFailure());
  absl::StatusOr<nlohmann::json> container =
      engine_->InspectContainer(service.job_id());
  ASSERT_TRUE(container.ok()) << container.status();
  EXPECT_EQ((*container)["Config"]["Cmd"],
            nlohmann::json::array(
                {"/bin/bash", "-c",
                 "umask 0 && cosmos_predict inference_microservice start "
                 "--model 'base-2b' --output-dir "
                 "'/tmp/cosmos-predict2.5-output' --port 8080"}));

  absl::StatusOr<nlohmann::json> launch =
      GetJson(service.host_url() + "/_reference/launch");
  ASSERT_TRUE(launch.ok()) << launch.status();
  const nlohmann::json& argv = (*launch)["argv"];
  ASSERT_TRUE(argv.is_array() && argv.size() >= 1u) << argv.dump();
  EXPECT_EQ(
      std::vector<std::string>(argv.begin() + 1, argv.end()),
      (std::vector<std::string>{
          "inference_microservice", "start", "--model", "base-2b",
          "--output-dir", "/tmp/cosmos-predict2.5-output", "--port", "8080"}));
  EXPECT_EQ((*launch)["env"]["HF_TOKEN"], hf_token_);
  EXPECT_THAT(argv.dump(), Not(HasSubstr(hf_token_)));
}

}  // namespace
}  // namespace tao::integration::docker
