// Runs the reference_backend executable under the containers' entry-point
// names and checks what a control-plane test relies on.
#include "tests/fakes/reference_backend_process.h"

#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/common/subprocess.h"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::Duration kGenerous = absl::Seconds(60);
constexpr char kSecret[] = "hf_reference_backend_secret_value";

std::unique_ptr<ReferenceBackendProcess> StartOrDie(
    ReferenceBackendProcess::Options options) {
  absl::StatusOr<std::unique_ptr<ReferenceBackendProcess>> process =
      ReferenceBackendProcess::Start(std::move(options));
  EXPECT_TRUE(process.ok()) << process.status();
  return process.ok() ? std::move(*process) : nullptr;
}

httplib::Result PostChat(const ReferenceBackendProcess& backend,
                         const std::string& body) {
  httplib::Client client("127.0.0.1", backend.port());
  client.set_read_timeout(60, 0);
  return client.Post("/v1/chat/completions", body, "application/json");
}

const std::string kImageChat =
    R"({"messages":[{"role":"user","content":[{"type":"text","text":"Hi"},)"
    R"({"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]})";

TEST(ReferenceBackendProcessTest, CosmosRlEntryPointRecordsItsLaunch) {
  const std::string job =
      R"({"job_id":"j-7","specs":{"model_path":"hf_model://nvidia/R+print-env"},"neural_network_name":"cosmos-rl"})";
  ReferenceBackendProcess::Options options;
  options.entry_point = "cosmos-rl-inference-microservice";
  options.args = {"--job", job, "--docker_env_vars",
                  R"({"TAO_API_JOB_ID":"j-7"})"};
  options.env = {{"HF_TOKEN", kSecret}, {"TAO_API_JOB_ID", "j-7"}};
  auto backend = StartOrDie(options);
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();

  absl::StatusOr<Json> launch = backend->GetJson("/_reference/launch");
  ASSERT_TRUE(launch.ok()) << launch.status();
  const Json& argv = (*launch)["argv"];
  ASSERT_EQ(argv.size(), 7u) << argv.dump();
  EXPECT_TRUE(absl::EndsWith(argv[0].get<std::string>(),
                             "/cosmos-rl-inference-microservice"));
  EXPECT_EQ(argv[1], "--job");
  EXPECT_EQ(argv[2], job);
  EXPECT_EQ(argv[3], "--docker_env_vars");
  EXPECT_EQ((*launch)["env"]["HF_TOKEN"], kSecret);
  EXPECT_EQ((*launch)["cwd"], backend->work_dir());
  EXPECT_EQ((*launch)["pid"], backend->pid());
  EXPECT_EQ((*launch)["arch"], "cosmos-rl");
  EXPECT_TRUE(std::filesystem::exists(backend->work_dir() +
                                      "/reference_backend_launch.json"));

  httplib::Result answer = PostChat(*backend, kImageChat);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200) << answer->body;
  EXPECT_EQ(Json::parse(answer->body)["model"],
            "hf_model://nvidia/R+print-env");

  // Names of the environment are printed (print-env), values never. The
  // request's log line may follow the answer by a moment.
  std::string output = backend->Output();
  for (int i = 0; i < 250 && !absl::StrContains(
                                 output, "POST /v1/chat/completions -> 200");
       ++i) {
    absl::SleepFor(absl::Milliseconds(20));
    output = backend->Output();
  }
  EXPECT_THAT(output, HasSubstr("HF_TOKEN"));
  EXPECT_THAT(output, HasSubstr("test backend, not a model"));
  EXPECT_THAT(output, HasSubstr("POST /v1/chat/completions -> 200"));
  EXPECT_THAT(output, Not(HasSubstr(kSecret)));
}

TEST(ReferenceBackendProcessTest, CosmosPredictEntryPointAnswersWithVideo) {
  ReferenceBackendProcess::Options options;
  options.entry_point = "cosmos_predict";
  options.args = {"inference_microservice", "start",        "--model",
                  "base-2b+load-ms-50",     "--output-dir", "/tmp/predict-out"};
  auto backend = StartOrDie(options);
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  httplib::Result answer = PostChat(
      *backend,
      R"({"messages":[{"role":"user","content":"a red ball"}],"guidance":7})");
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 200) << answer->body;
  EXPECT_TRUE(absl::StartsWith(
      Json::parse(answer->body)["choices"][0]["message"]["content"]
          .get<std::string>(),
      "data:video/mp4;base64,"));
}

TEST(ReferenceBackendProcessTest, BadCommandLineExitsWithCode2) {
  char dir[] = "/tmp/reference_backend_args.XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string link = std::string(dir) + "/cosmos_predict";
  std::filesystem::create_symlink(TAO_REFERENCE_BACKEND_PATH, link);
  absl::StatusOr<platforms::RunResult> run =
      platforms::Run({link, "inference_microservice", "start", "--model", "k",
                      "--output-dir", "/o", "--docker_env_vars", "{}"},
                     kGenerous);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->exit_code, 2);
  EXPECT_THAT(run->output, HasSubstr("unrecognized arguments"));
}

TEST(ReferenceBackendProcessTest, ExitDuringLoadEndsTheProcess) {
  ReferenceBackendProcess::Options options;
  options.args = CosmosRlArgs("/models/r+load-ms-100+exit-during-load-7");
  auto backend = StartOrDie(options);
  ASSERT_NE(backend, nullptr);
  const absl::Time give_up = absl::Now() + kGenerous;
  platforms::ProcessStatus status = platforms::CheckProcess(backend->pid());
  while (status.running && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
    status = platforms::CheckProcess(backend->pid());
  }
  ASSERT_FALSE(status.running);
  ASSERT_TRUE(status.has_exit_code);
  EXPECT_EQ(status.exit_code, 7);
}

TEST(ReferenceBackendProcessTest, StateIsCheckedBeforeTheBody) {
  ReferenceBackendProcess::Options options;
  options.args = CosmosRlArgs("/models/r+init-ms-600000");
  auto backend = StartOrDie(options);
  ASSERT_NE(backend, nullptr);
  // Initializing: even an empty body gets 202 server_initializing.
  httplib::Result answer = PostChat(*backend, "");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 202);
  EXPECT_EQ(Json::parse(answer->body)["error"]["type"], "server_initializing");

  ASSERT_TRUE(backend->Control({{"state", "ready"}}).ok());
  answer = PostChat(*backend, "");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  EXPECT_EQ(Json::parse(answer->body)["error"]["message"],
            "Request body is required");

  absl::StatusOr<Json> requests = backend->Requests();
  ASSERT_TRUE(requests.ok()) << requests.status();
  EXPECT_EQ(requests->size(), 2u);
}

TEST(ReferenceBackendProcessTest, CloseConnectionDropsWithoutAnswer) {
  ReferenceBackendProcess::Options options;
  options.args = CosmosRlArgs("/models/r");
  auto backend = StartOrDie(options);
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->WaitUntilReady(kGenerous).ok()) << backend->Output();
  ASSERT_TRUE(backend->Control({{"close_connection", true}}).ok());
  httplib::Result dropped = PostChat(*backend, kImageChat);
  EXPECT_FALSE(dropped) << "got an answer: " << dropped->status;
  // Only the scripted request was affected.
  httplib::Result answer = PostChat(*backend, kImageChat);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  absl::StatusOr<Json> requests = backend->Requests();
  ASSERT_TRUE(requests.ok());
  EXPECT_EQ(requests->size(), 2u);
}

}  // namespace
}  // namespace tao::fakes
