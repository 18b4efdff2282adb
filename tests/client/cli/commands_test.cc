// Every subcommand end to end: RunCli against an in-process fake server
// over a real gRPC connection, with scripted stdin and captured output.
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>

#include "client/cli/cli.h"
#include "client/cli/exit_codes.h"
#include "client/cli/sampling_fields.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/client/cli/described_schema.h"
#include "tests/client/cli/fake_inference_service.h"

namespace tao::cli {
namespace {

using tao::cli::testing::FakeInferenceService;
using tao::cli::testing::FakeServer;
using tao::cli::testing::RichStatus;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace tao::inference::v1;  // NOLINT: test-only brevity

struct Result {
  int exit_code;
  std::string out;
  std::string err;

  nlohmann::json Json() const {
    nlohmann::json json = nlohmann::json::parse(out, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << "not one JSON document:\n" << out;
    return json;
  }
};

Service MakeService(const std::string& job_id, const std::string& arch) {
  Service service;
  service.set_job_id(job_id);
  service.set_network_arch(arch);
  service.set_platform("local-docker");
  service.set_host_url("http://localhost:8080");
  service.set_state(SERVICE_STATE_READY);
  service.set_started_at("2025-01-01T00:00:00Z");
  return service;
}

WaitReadyEvent Event(ServiceState state, Phase phase, const std::string& reason,
                     int seconds) {
  WaitReadyEvent event;
  event.set_state(state);
  event.set_phase(phase);
  event.set_reason(reason);
  event.mutable_elapsed()->set_seconds(seconds);
  return event;
}

std::string MakeTempDir() {
  std::string pattern = ::testing::TempDir() + "/tao-cli-cmd-XXXXXX";
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  return pattern;
}

std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
}

class CommandsTest : public ::testing::Test {
 protected:
  // Runs tao-infer with `args`; --server defaults to the fake.
  Result Run(const std::vector<std::string>& args,
             const std::string& input = "", bool tty = false,
             bool err_tty = false) {
    return RunWithDefault(args, server_.address(), input, tty, err_tty);
  }

  Result RunWithDefault(const std::vector<std::string>& args,
                        const std::string& default_server,
                        const std::string& input = "", bool tty = false,
                        bool err_tty = false) {
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    CommandIo io{in, out, err, tty, err_tty};
    int code = RunCli(args, default_server, io);
    return {code, out.str(), err.str()};
  }

  FakeInferenceService& fake() { return server_.service(); }

  void TwoRlServices() {
    *fake().list_response.add_services() = MakeService("job-a", "cosmos-rl");
    *fake().list_response.add_services() = MakeService("job-b", "cosmos-rl");
    fake().list_response.set_latest_job_id("job-b");
  }

  FakeServer server_;
};

// ---- list / get -----------------------------------------------------------

TEST_F(CommandsTest, ListPrintsATableWithLatestMarked) {
  TwoRlServices();
  Result result = Run({"list"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              AllOf(HasSubstr("JOB ID"), HasSubstr("PLATFORM"),
                    HasSubstr("job-a"), HasSubstr("*  job-b"),
                    HasSubstr("READY"), HasSubstr("http://localhost:8080")));
}

TEST_F(CommandsTest, ListJsonIsTheListResponse) {
  TwoRlServices();
  Result result = Run({"list", "--json", "--refresh"});
  EXPECT_EQ(result.exit_code, 0);
  nlohmann::json json = result.Json();
  EXPECT_EQ(json["latest_job_id"], "job-b");
  ASSERT_EQ(json["services"].size(), 2u);
  EXPECT_EQ(json["services"][0]["job_id"], "job-a");
  EXPECT_EQ(json["services"][0]["network_arch"], "cosmos-rl");
  EXPECT_EQ(json["services"][0]["state"], "SERVICE_STATE_READY");
  ASSERT_EQ(fake().calls().list.size(), 1u);
  EXPECT_TRUE(fake().calls().list[0].refresh());
}

TEST_F(CommandsTest, ListEmptySaysHowToStart) {
  Result result = Run({"list"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("No services"));
  EXPECT_THAT(result.out, HasSubstr("tao-infer start"));
}

TEST_F(CommandsTest, ServerFlagBeforeOrAfterTheCommandWins) {
  TwoRlServices();
  const std::string nowhere = "127.0.0.1:1";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--server", server_.address(), "list", "--json"},
           {"list", "--json", "--server=" + server_.address()}}) {
    Result result = RunWithDefault(args, nowhere);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.Json()["latest_job_id"], "job-b");
  }
}

TEST_F(CommandsTest, GetShowsTheServiceAndPassesRefresh) {
  TwoRlServices();
  Result result = Run({"get", "job-a", "--refresh"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, AllOf(HasSubstr("job_id:"), HasSubstr("job-a"),
                                HasSubstr("cosmos-rl"), HasSubstr("READY")));
  ASSERT_EQ(fake().calls().get.size(), 1u);
  EXPECT_TRUE(fake().calls().get[0].refresh());
  EXPECT_EQ(Run({"get", "job-b", "--json"}).Json()["job_id"], "job-b");
}

TEST_F(CommandsTest, GetUnknownJobExitsThree) {
  Result result = Run({"get", "nope"});
  EXPECT_EQ(result.exit_code, kExitNotFound);
  EXPECT_THAT(result.err, HasSubstr("no service with job_id nope"));
  EXPECT_THAT(result.err, HasSubstr("reason: NO_SERVICE"));

  Result json = Run({"get", "nope", "--json"});
  EXPECT_EQ(json.exit_code, kExitNotFound);
  EXPECT_EQ(json.Json()["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(json.Json()["error"]["details"]["reason_code"],
            "ERROR_REASON_NO_SERVICE");
  EXPECT_EQ(json.err, "");
}

TEST_F(CommandsTest, UnreachableServerExitsSix) {
  Result result = RunWithDefault({"list"}, "127.0.0.1:1");
  EXPECT_EQ(result.exit_code, kExitUnreachable);
  EXPECT_THAT(result.err, HasSubstr("cannot reach tao-inferd at 127.0.0.1:1"));
}

TEST_F(CommandsTest, AServerThatNeverAnswersTimesOut) {
  fake().list_never_answers = true;
  Result result = Run({"list", "--timeout", "0.2"});
  EXPECT_EQ(result.exit_code, kExitTimeout) << result.err;
  EXPECT_THAT(result.err, AllOf(HasSubstr("no result within 0.2s"),
                                HasSubstr("--timeout")));

  Result json = Run({"list", "--timeout=0.2", "--json"});
  EXPECT_EQ(json.exit_code, kExitTimeout);
  EXPECT_EQ(json.Json()["error"]["code"], "DEADLINE_EXCEEDED");
}

TEST_F(CommandsTest, CallsWithoutTimeoutGetTheDefaultDeadline) {
  TwoRlServices();
  const auto before = std::chrono::system_clock::now();
  ASSERT_EQ(Run({"list"}).exit_code, 0);
  ASSERT_EQ(Run({"get", "job-a"}).exit_code, 0);
  ASSERT_EQ(Run({"stop", "job-a"}).exit_code, 0);
  const auto after = std::chrono::system_clock::now();
  const auto calls = fake().calls();
  ASSERT_EQ(calls.deadlines.size(), 3u);
  for (const auto& [rpc, deadline] : calls.deadlines) {
    // 60 s from when the call was made (the wire rounds to milliseconds).
    EXPECT_GE(deadline,
              before + std::chrono::seconds(60) - std::chrono::milliseconds(5))
        << rpc;
    EXPECT_LE(deadline, after + std::chrono::seconds(61)) << rpc;
  }
}

TEST_F(CommandsTest, EveryCommandSetsADeadline) {
  TwoRlServices();
  *fake().start_response.mutable_service() = MakeService("job-n", "cosmos-rl");
  fake().wait_events = {Event(SERVICE_STATE_READY, PHASE_READY, "", 1)};
  fake().describe_response = tao::cli::testing::Described();
  Run({"list"});
  Run({"get", "job-a"});
  Run({"stop"}, "y\n", /*tty=*/true);  // List, then Stop
  Run({"start", "--platform", "p", "--network-arch", "a", "--model-path", "/m",
       "--wait"});
  Run({"wait", "job-a"});
  Run({"infer", "--job-id", "job-a", "--text", "hi", "--max-tokens", "5",
       "--accept-defaults"});  // Get, DescribeArchitectures, Infer
  std::vector<std::string> rpcs;
  for (const auto& [rpc, deadline] : fake().calls().deadlines) {
    rpcs.push_back(rpc);
    EXPECT_NE(deadline, std::chrono::system_clock::time_point::max()) << rpc;
  }
  EXPECT_THAT(
      rpcs, ElementsAre("List", "Get", "List", "Stop", "Start", "WaitReady",
                        "WaitReady", "Get", "DescribeArchitectures", "Infer"));
}

TEST_F(CommandsTest, UnavailableFromALiveServerIsAServerError) {
  fake().list_status =
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "platform unreachable");
  Result result = Run({"list"});
  EXPECT_EQ(result.exit_code, kExitServerError);
  EXPECT_THAT(result.err, HasSubstr("platform unreachable"));
}

TEST_F(CommandsTest, UsageErrorsExitTwoAndJsonReportsThem) {
  Result human = Run({"list", "--bogus"});
  EXPECT_EQ(human.exit_code, kExitUsage);
  EXPECT_THAT(human.err, HasSubstr("unknown flag --bogus"));
  Result json = Run({"list", "--bogus", "--json"});
  EXPECT_EQ(json.exit_code, kExitUsage);
  EXPECT_EQ(json.Json()["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_TRUE(fake().calls().list.empty());
}

TEST_F(CommandsTest, HelpListsCommandsAndExitCodes) {
  Result result = Run({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(
      result.out,
      AllOf(HasSubstr("start"), HasSubstr("infer"), HasSubstr("Exit codes"),
            HasSubstr("6  server unreachable"), HasSubstr("TAO_INFER_SERVER")));
  EXPECT_THAT(Run({"infer", "--help"}).out,
              AllOf(HasSubstr("--accept-defaults"), HasSubstr("--guidance N"),
                    HasSubstr("server's catalog")));
  EXPECT_TRUE(fake().calls().deadlines.empty());  // help asks nothing
}

// ---- start ------------------------------------------------------------------

TEST_F(CommandsTest, StartSendsEveryFieldAndPrintsTheJob) {
  *fake().start_response.mutable_service() =
      MakeService("job-new", "cosmos-rl");
  Result result =
      Run({"start", "--platform", "local-docker", "--network-arch=cosmos-rl",
           "--model-path", "/m", "--num-gpus", "2", "--host-port", "8085",
           "--request-id", "r1", "--env", "LOG_LEVEL=debug", "--image",
           "img:tag", "--model-key", "k"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, AllOf(HasSubstr("Started job-new"),
                                HasSubstr("tao-infer wait job-new")));
  const auto calls = fake().calls();
  ASSERT_EQ(calls.start.size(), 1u);
  const StartRequest& sent = calls.start[0];
  EXPECT_EQ(sent.platform(), "local-docker");
  EXPECT_EQ(sent.network_arch(), "cosmos-rl");
  EXPECT_EQ(sent.model_path(), "/m");
  EXPECT_EQ(sent.num_gpus(), 2);
  EXPECT_EQ(sent.host_port(), 8085);
  EXPECT_EQ(sent.request_id(), "r1");
  EXPECT_EQ(sent.env().at("LOG_LEVEL"), "debug");
  EXPECT_EQ(sent.image(), "img:tag");
  EXPECT_EQ(sent.model_key(), "k");
}

TEST_F(CommandsTest, StartSendsPlatformOptionsByFieldName) {
  Result result =
      Run({"start", "--platform", "slurm", "--network-arch", "a",
           "--model-path", "/m", "--option", "partition=gpu", "--option",
           "cpus-per-task=8", "--option", "time_limit=04:00:00"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(fake().calls().start.size(), 1u);
  const StartRequest sent = fake().calls().start[0];
  ASSERT_TRUE(sent.has_slurm());
  EXPECT_EQ(sent.slurm().partition(), "gpu");
  EXPECT_EQ(sent.slurm().cpus_per_task(), 8);
  EXPECT_EQ(sent.slurm().time_limit(), "04:00:00");

  Run({"start", "--platform", "local-docker", "--network-arch", "a",
       "--model-path", "/m", "--option", "gpu_device_ids=0, 2", "--option",
       "network=lab"});
  ASSERT_EQ(fake().calls().start.size(), 2u);
  const StartRequest docker = fake().calls().start[1];
  EXPECT_THAT(docker.docker().gpu_device_ids(), ElementsAre("0", "2"));
  EXPECT_EQ(docker.docker().network(), "lab");
}

TEST_F(CommandsTest, StartBadOptionIsAUsageErrorBeforeAnyCall) {
  Result unknown = Run({"start", "--platform", "slurm", "--network-arch", "a",
                        "--model-path", "/m", "--option", "queue=gpu"});
  EXPECT_EQ(unknown.exit_code, kExitUsage);
  EXPECT_THAT(unknown.err, AllOf(HasSubstr("slurm has no option 'queue'"),
                                 HasSubstr("partition, account")));
  Result not_a_number =
      Run({"start", "--platform", "slurm", "--network-arch", "a",
           "--model-path", "/m", "--option", "cpus_per_task=many"});
  EXPECT_EQ(not_a_number.exit_code, kExitUsage);
  EXPECT_THAT(not_a_number.err, HasSubstr("'many' is not a whole number"));
  EXPECT_TRUE(fake().calls().start.empty());
}

TEST_F(CommandsTest, StartTimeoutBoundsTheStartItself) {
  fake().start_never_answers = true;
  Result result = Run({"start", "--platform", "slurm", "--network-arch", "a",
                       "--model-path", "/m", "--timeout", "0.5"});
  EXPECT_EQ(result.exit_code, kExitTimeout) << result.err;
  EXPECT_THAT(result.err, HasSubstr("not started within 0.5s (--timeout)"));
}

TEST_F(CommandsTest, StartTimeoutLeavesTheRestForTheWait) {
  *fake().start_response.mutable_service() = MakeService("job-new", "a");
  WaitReadyEvent ready;
  ready.set_state(tao::inference::v1::SERVICE_STATE_READY);
  fake().wait_events = {ready};
  Result result = Run({"start", "--platform", "p", "--network-arch", "a",
                       "--model-path", "/m", "--wait", "--timeout", "30"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(fake().calls().wait.size(), 1u);
  const auto timeout = fake().calls().wait[0].timeout();
  const double seconds = timeout.seconds() + timeout.nanos() / 1e9;
  // Never more than --timeout, and not the floor a spent timeout gets.
  EXPECT_LE(seconds, 30);
  EXPECT_GT(seconds, 0.1);
}

TEST_F(CommandsTest, StartLeavesNumGpusUnsetWhenNotGiven) {
  Run({"start", "--platform", "p", "--network-arch", "a", "--model-path", "/m",
       "--json"});
  ASSERT_EQ(fake().calls().start.size(), 1u);
  EXPECT_FALSE(fake().calls().start[0].has_num_gpus());
}

TEST_F(CommandsTest, StartInvalidArgumentExitsTwoNamingTheField) {
  ErrorDetails details;
  details.set_reason_code(ERROR_REASON_INVALID_FIELD);
  auto* violation = details.add_field_violations();
  violation->set_field("network_arch");
  violation->set_description("unknown architecture 'nope'");
  fake().start_status = RichStatus(grpc::StatusCode::INVALID_ARGUMENT,
                                   "network_arch: unknown", details);
  Result result = Run({"start", "--platform", "p", "--network-arch", "nope",
                       "--model-path", "/m"});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_THAT(result.err,
              HasSubstr("field network_arch: unknown architecture 'nope'"));
}

TEST_F(CommandsTest, StartWithWaitFollowsTheServiceUntilReady) {
  *fake().start_response.mutable_service() =
      MakeService("job-new", "cosmos-rl");
  fake().wait_events = {
      Event(SERVICE_STATE_LOADING, PHASE_LOADING, "model_loading", 3),
      Event(SERVICE_STATE_READY, PHASE_READY, "", 9)};
  Result human = Run({"start", "--platform", "p", "--network-arch", "a",
                      "--model-path", "/m", "--wait", "--timeout", "120"});
  EXPECT_EQ(human.exit_code, 0) << human.err;
  EXPECT_THAT(human.out,
              AllOf(HasSubstr("model_loading"), HasSubstr("job-new is ready")));
  ASSERT_EQ(fake().calls().wait.size(), 1u);
  EXPECT_EQ(fake().calls().wait[0].job_id(), "job-new");
  // What is left of the 120 s after the start.
  EXPECT_LE(fake().calls().wait[0].timeout().seconds(), 120);
  EXPECT_GT(fake().calls().wait[0].timeout().seconds(), 0);

  nlohmann::json json = Run({"start", "--platform", "p", "--network-arch", "a",
                             "--model-path", "/m", "--wait", "--json"})
                            .Json();
  EXPECT_EQ(json["service"]["job_id"], "job-new");
  EXPECT_EQ(json["wait"]["ready"], true);
  EXPECT_EQ(json["wait"]["events"].size(), 2u);
}

TEST_F(CommandsTest, StartAsksToReturnOnAcceptOnlyWithWait) {
  *fake().start_response.mutable_service() = MakeService("job-new", "a");
  fake().wait_events = {Event(SERVICE_STATE_READY, PHASE_READY, "", 1)};
  Run({"start", "--platform", "p", "--network-arch", "a", "--model-path",
       "/m"});
  Run({"start", "--platform", "p", "--network-arch", "a", "--model-path", "/m",
       "--wait"});
  Run({"start", "--platform", "p", "--network-arch", "a", "--model-path", "/m",
       "--wait", "--json"});
  const auto starts = fake().calls().start;
  ASSERT_EQ(starts.size(), 3u);
  // Without --wait Start returns once the platform runs the service, as
  // before; with it the wait shows the launch.
  EXPECT_FALSE(starts[0].return_on_accept());
  EXPECT_TRUE(starts[1].return_on_accept());
  EXPECT_TRUE(starts[2].return_on_accept());
}

// ---- wait -------------------------------------------------------------------

WaitReadyEvent PullBytes(int64_t done, int64_t total, int seconds) {
  WaitReadyEvent event =
      Event(SERVICE_STATE_PENDING, PHASE_PULLING, "pulling", seconds);
  event.set_bytes_done(done);
  event.set_bytes_total(total);
  return event;
}

TEST_F(CommandsTest, WaitDrawsThePullAsABarOnATerminalStderr) {
  constexpr int64_t kMiB = 1024 * 1024;
  fake().wait_events = {PullBytes(0, 800 * kMiB, 0),
                        PullBytes(400 * kMiB, 800 * kMiB, 1),
                        PullBytes(800 * kMiB, 800 * kMiB, 2),
                        Event(SERVICE_STATE_READY, PHASE_READY, "", 3)};
  Result tty = Run({"wait", "job-a"}, "", /*tty=*/false, /*err_tty=*/true);
  EXPECT_EQ(tty.exit_code, 0) << tty.err;
  EXPECT_THAT(tty.err,
              HasSubstr("\rpulling  [##########----------]  50%  400.0 MiB / "
                        "800.0 MiB\rpulling  [####################] 100%  "
                        "800.0 MiB / 800.0 MiB\n"));
  EXPECT_THAT(tty.out, AllOf(Not(HasSubstr("%")), HasSubstr("READY"),
                             HasSubstr("is ready")));

  Result piped = Run({"wait", "job-a"});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_THAT(piped.err, Not(HasSubstr("pulling")));
  EXPECT_THAT(piped.out,
              AllOf(HasSubstr("pulling    0%  0 B / 800.0 MiB\n"),
                    HasSubstr("pulling   50%  400.0 MiB / 800.0 MiB\n"),
                    HasSubstr("pulling  100%  800.0 MiB / 800.0 MiB\n"),
                    HasSubstr("READY"), Not(HasSubstr("\r"))));

  // Scripts get every event, bytes included, and no bar.
  Result json =
      Run({"wait", "job-a", "--json"}, "", /*tty=*/false, /*err_tty=*/true);
  EXPECT_THAT(json.err, IsEmpty());
  ASSERT_EQ(json.Json()["events"].size(), 4u);
  EXPECT_EQ(json.Json()["events"][1]["bytes_done"], "419430400");
}

TEST_F(CommandsTest, WaitPrintsProgressAndExitsZeroWhenReady) {
  fake().wait_events = {
      Event(SERVICE_STATE_PENDING, PHASE_PULLING, "", 0),
      Event(SERVICE_STATE_LOADING, PHASE_LOADING, "model_loading", 5),
      Event(SERVICE_STATE_READY, PHASE_READY, "", 12)};
  Result result = Run({"wait", "job-a", "--timeout=30"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, AllOf(HasSubstr("PENDING"), HasSubstr("pulling"),
                                HasSubstr("[   5.0s] LOADING"),
                                HasSubstr("READY"), HasSubstr("is ready")));
  EXPECT_LT(result.out.find("PENDING"), result.out.find("LOADING"));
  EXPECT_EQ(fake().calls().wait[0].timeout().seconds(), 30);
}

TEST_F(CommandsTest, WaitJsonIsOneDocumentWithEveryEvent) {
  fake().wait_events = {
      Event(SERVICE_STATE_LOADING, PHASE_LOADING, "model_loading", 5),
      Event(SERVICE_STATE_READY, PHASE_READY, "", 12)};
  Result result = Run({"wait", "job-a", "--json"});
  EXPECT_EQ(result.exit_code, 0);
  nlohmann::json json = result.Json();
  EXPECT_EQ(json["job_id"], "job-a");
  EXPECT_EQ(json["ready"], true);
  EXPECT_EQ(json["final_state"], "SERVICE_STATE_READY");
  ASSERT_EQ(json["events"].size(), 2u);
  EXPECT_EQ(json["events"][0]["reason"], "model_loading");
  EXPECT_EQ(json["events"][1]["elapsed"], "12s");
}

TEST_F(CommandsTest, WaitEndingFailedExitsFour) {
  fake().wait_events = {
      Event(SERVICE_STATE_LOADING, PHASE_LOADING, "model_loading", 5),
      Event(SERVICE_STATE_FAILED, PHASE_FAILED, "model_load_error", 8)};
  Result result = Run({"wait", "job-a"});
  EXPECT_EQ(result.exit_code, kExitServiceFailed);
  // What the server signalled, the FAILED event, and no invented reason.
  EXPECT_THAT(result.err, HasSubstr("job-a FAILED: model_load_error"));
  EXPECT_THAT(result.err, Not(HasSubstr("reason:")));

  nlohmann::json json = Run({"wait", "job-a", "--json"}).Json();
  EXPECT_EQ(json["ready"], false);
  EXPECT_EQ(json["final_state"], "SERVICE_STATE_FAILED");
  EXPECT_EQ(json["error"]["exit_code"], kExitServiceFailed);
  EXPECT_TRUE(json["error"]["details"].empty()) << json;

  fake().wait_events = {
      Event(SERVICE_STATE_STOPPED, PHASE_UNSPECIFIED, "workload_missing", 2)};
  EXPECT_EQ(Run({"wait", "job-a"}).exit_code, kExitServiceFailed);
}

TEST_F(CommandsTest, WaitTimeoutExitsFive) {
  fake().wait_events = {
      Event(SERVICE_STATE_LOADING, PHASE_LOADING, "model_loading", 5)};
  fake().wait_status =
      grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "not ready in 10s");
  Result result = Run({"wait", "job-a", "--timeout", "10"});
  EXPECT_EQ(result.exit_code, kExitTimeout);
  EXPECT_THAT(result.err, HasSubstr("not ready within 10s"));
  EXPECT_THAT(result.err, HasSubstr("LOADING"));

  nlohmann::json json = Run({"wait", "job-a", "--json"}).Json();
  EXPECT_EQ(json["error"]["code"], "DEADLINE_EXCEEDED");
  EXPECT_EQ(json["events"].size(), 1u);
}

TEST_F(CommandsTest, WaitUnknownJobExitsThree) {
  fake().wait_status =
      grpc::Status(grpc::StatusCode::NOT_FOUND, "no service job-x");
  EXPECT_EQ(Run({"wait", "job-x"}).exit_code, kExitNotFound);
}

// ---- stop -------------------------------------------------------------------

TEST_F(CommandsTest, StopNamedJob) {
  *fake().stop_response.mutable_service() = MakeService("job-a", "cosmos-rl");
  fake().stop_response.set_latest_job_id("job-b");
  Result result = Run({"stop", "job-a"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, AllOf(HasSubstr("Stopped job-a"),
                                HasSubstr("latest is now job-b")));
  ASSERT_EQ(fake().calls().stop.size(), 1u);
  EXPECT_EQ(fake().calls().stop[0].job_id(), "job-a");
  EXPECT_TRUE(fake().calls().list.empty());  // no need to look up latest
}

TEST_F(CommandsTest, StopLatestWithoutTerminalNeedsYes) {
  TwoRlServices();
  Result result = Run({"stop"});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_THAT(result.err, AllOf(HasSubstr("job-b"), HasSubstr("--yes")));
  EXPECT_TRUE(fake().calls().stop.empty());

  nlohmann::json json = Run({"stop", "--json"}).Json();
  EXPECT_EQ(json["error"]["details"]["candidates"][0]["job_id"], "job-b");
  EXPECT_EQ(json["error"]["details"]["cli_reason"], "CONFIRMATION_REQUIRED");
  EXPECT_TRUE(fake().calls().stop.empty());
}

TEST_F(CommandsTest, StopLatestWithYes) {
  TwoRlServices();
  *fake().stop_response.mutable_service() = MakeService("job-b", "cosmos-rl");
  fake().stop_response.set_latest_job_id("job-a");
  Result result = Run({"stop", "--yes", "--json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.Json()["stopped"], true);
  EXPECT_EQ(result.Json()["latest_job_id"], "job-a");
  EXPECT_THAT(result.err, HasSubstr("job-b"));
  ASSERT_EQ(fake().calls().stop.size(), 1u);
  EXPECT_EQ(fake().calls().stop[0].job_id(), "job-b");
}

TEST_F(CommandsTest, StopLatestOnATerminalAsks) {
  TwoRlServices();
  Result declined = Run({"stop"}, "n\n", /*tty=*/true);
  EXPECT_EQ(declined.exit_code, 0);
  EXPECT_THAT(declined.err, AllOf(HasSubstr("latest points to job-b"),
                                  HasSubstr("cosmos-rl on local-docker"),
                                  HasSubstr("Stop it? [y/N]")));
  EXPECT_THAT(declined.out, HasSubstr("Nothing stopped"));
  EXPECT_TRUE(fake().calls().stop.empty());

  Result confirmed = Run({"stop"}, "y\n", /*tty=*/true);
  EXPECT_EQ(confirmed.exit_code, 0) << confirmed.err;
  ASSERT_EQ(fake().calls().stop.size(), 1u);
  EXPECT_EQ(fake().calls().stop[0].job_id(), "job-b");
}

TEST_F(CommandsTest, StopWithNoServicesExitsThree) {
  Result result = Run({"stop", "--yes"});
  EXPECT_EQ(result.exit_code, kExitNotFound);
  EXPECT_THAT(result.err, HasSubstr("no services"));
}

// ---- infer ------------------------------------------------------------------

class InferTest : public CommandsTest {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    png_ = dir_ + "/cat.png";
    std::ofstream(png_, std::ios::binary) << std::string("\x89PNG\r\n", 6);
    fake().infer_response.set_job_id("job-a");
    fake().infer_response.set_network_arch("cosmos-rl");
    fake().infer_response.set_id("chatcmpl-1");
    fake().infer_response.set_host_url("http://localhost:8080");
    auto* choice = fake().infer_response.add_choices();
    choice->set_text("A cat on a mat.");
    choice->set_finish_reason("stop");
    fake().infer_response.mutable_applied()->set_max_tokens(1024);
    fake().infer_response.mutable_applied()->set_temperature(0.7);
    fake().infer_response.mutable_applied()->set_top_p(0.8);
    fake().describe_response = tao::cli::testing::Described();
  }

  void OneRlService() {
    *fake().list_response.add_services() = MakeService("job-a", "cosmos-rl");
    fake().list_response.set_latest_job_id("job-a");
  }

  void OnePredictService() {
    *fake().list_response.add_services() =
        MakeService("job-p", "cosmos-predict2.5");
    fake().infer_response.set_job_id("job-p");
    fake().infer_response.set_network_arch("cosmos-predict2.5");
    auto* choice = fake().infer_response.mutable_choices(0);
    choice->clear_text();
    choice->set_media(
        std::string("\0\0\0\x18"
                    "ftypmp42-video",
                    18));
    choice->set_media_mime_type("video/mp4");
  }

  std::string dir_;
  std::string png_;
};

TEST_F(InferTest, SendsOneUserMessageWithEveryInput) {
  OneRlService();
  Result result =
      Run({"infer", "--job-id", "job-a", "--text", "What is this?", "--image",
           png_, "--video", "https://example.com/v.mp4", "--max-tokens", "64",
           "--temperature", "0.5", "--top-p", "0.9", "--wait-for-ready"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              AllOf(HasSubstr("A cat on a mat."),
                    HasSubstr("Applied: max_tokens=1024"), HasSubstr("job-a")));
  const auto calls = fake().calls();
  ASSERT_EQ(calls.infer.size(), 1u);
  const InferRequest& sent = calls.infer[0];
  EXPECT_EQ(sent.job_id(), "job-a");
  EXPECT_TRUE(sent.wait_for_ready());
  ASSERT_EQ(sent.messages_size(), 1);
  const ChatMessage& message = sent.messages(0);
  EXPECT_EQ(message.role(), ROLE_USER);
  ASSERT_EQ(message.parts_size(), 3);
  EXPECT_EQ(message.parts(0).text(), "What is this?");
  EXPECT_EQ(message.parts(1).image().data(), std::string("\x89PNG\r\n", 6));
  EXPECT_EQ(message.parts(1).image().mime_type(), "image/png");
  EXPECT_EQ(message.parts(1).image().filename(), "cat.png");
  EXPECT_EQ(message.parts(2).video().url(), "https://example.com/v.mp4");
  EXPECT_EQ(sent.sampling().max_tokens(), 64);
  EXPECT_DOUBLE_EQ(sent.sampling().temperature(), 0.5);
  EXPECT_DOUBLE_EQ(sent.sampling().top_p(), 0.9);
  // The architecture came from Get.
  ASSERT_EQ(fake().calls().get.size(), 1u);
  EXPECT_EQ(fake().calls().get[0].job_id(), "job-a");
}

TEST_F(InferTest, WithoutTerminalMissingFieldsAreRefusedAndListed) {
  OneRlService();
  Result result =
      Run({"infer", "--text", "hi", "--image", png_, "--max-tokens", "10"});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_THAT(
      result.err,
      AllOf(HasSubstr("--temperature X"), HasSubstr("default 0.7"),
            HasSubstr("--top-p X"), HasSubstr("default 0.8"),
            HasSubstr("--accept-defaults"), Not(HasSubstr("--max-tokens N"))));
  EXPECT_TRUE(fake().calls().infer.empty());

  Result json = Run({"infer", "--text", "hi", "--image", png_, "--json"});
  EXPECT_EQ(json.exit_code, kExitUsage);
  nlohmann::json details = json.Json()["error"]["details"];
  EXPECT_EQ(details["cli_reason"], "SAMPLING_FIELDS_REQUIRED");
  EXPECT_EQ(details["network_arch"], "cosmos-rl");
  ASSERT_EQ(details["missing_fields"].size(), 3u);
  EXPECT_EQ(details["missing_fields"][0]["flag"], "--max-tokens");
  EXPECT_EQ(details["missing_fields"][0]["default"], "1024");
  EXPECT_TRUE(fake().calls().infer.empty());
}

TEST_F(InferTest, PromptsFollowTheServersDescription) {
  OneRlService();
  // Not the shipped catalog: what the CLI asks must be what the server says.
  fake().describe_response.Clear();
  auto* arch = fake().describe_response.add_architectures();
  arch->set_network_arch("cosmos-rl");
  *arch->add_sampling_fields() = tao::cli::testing::Field(
      "temperature", "0.3", {0, 0.5}, "as described by the server");
  Result result = Run({"infer", "--text", "hi", "--image", png_}, "0.9\n0.4\n",
                      /*tty=*/true);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, AllOf(HasSubstr("as described by the server"),
                                HasSubstr("temperature [0.3]: "),
                                HasSubstr("temperature must be in [0, 0.5]"),
                                Not(HasSubstr("max_tokens"))));
  EXPECT_EQ(fake().calls().describe, 1);
  ASSERT_EQ(fake().calls().infer.size(), 1u);
  EXPECT_DOUBLE_EQ(fake().calls().infer[0].sampling().temperature(), 0.4);
  EXPECT_FALSE(fake().calls().infer[0].sampling().has_max_tokens());
}

TEST_F(InferTest, AnArchitectureTheServerDoesNotDescribeIsLeftToIt) {
  OneRlService();
  fake().describe_response.Clear();
  Result result = Run({"infer", "--text", "hi", "--image", png_});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(fake().calls().infer.size(), 1u);
  EXPECT_TRUE(
      SetSamplingFieldNames(fake().calls().infer[0].sampling()).empty());
}

TEST_F(InferTest, NothingToAskOrCheckNeedsNoDescription) {
  OneRlService();
  EXPECT_EQ(Run({"infer", "--text", "hi", "--image", png_, "--accept-defaults"})
                .exit_code,
            0);
  EXPECT_EQ(fake().calls().describe, 0);
}

TEST_F(InferTest, AFailedDescriptionIsReported) {
  OneRlService();
  fake().describe_status =
      grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no such method");
  Result result = Run({"infer", "--text", "hi", "--image", png_});
  EXPECT_EQ(result.exit_code, kExitServerError);
  EXPECT_THAT(result.err, HasSubstr("no such method"));
  EXPECT_TRUE(fake().calls().infer.empty());
}

TEST_F(InferTest, AcceptDefaultsLeavesFieldsToTheServer) {
  OneRlService();
  Result result = Run({"infer", "--text", "hi", "--image", png_,
                       "--accept-defaults", "--json"});
  EXPECT_EQ(result.exit_code, 0) << result.err << result.out;
  ASSERT_EQ(fake().calls().infer.size(), 1u);
  EXPECT_FALSE(fake().calls().infer[0].sampling().has_max_tokens());
  EXPECT_FALSE(fake().calls().infer[0].sampling().has_temperature());
  nlohmann::json json = result.Json();
  EXPECT_EQ(json["applied"]["max_tokens"], 1024);
  EXPECT_EQ(json["choices"][0]["text"], "A cat on a mat.");
  EXPECT_EQ(json["job_id"], "job-a");
}

TEST_F(InferTest, OnATerminalAsksEveryFieldInOneRound) {
  OneRlService();
  Result result = Run({"infer", "--text", "hi", "--image", png_}, "\n0.3\n\n",
                      /*tty=*/true);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, AllOf(HasSubstr("Sampling fields for cosmos-rl"),
                                HasSubstr("max_tokens [1024]: "),
                                HasSubstr("temperature [0.7]: "),
                                HasSubstr("top_p [0.8]: ")));
  const auto calls = fake().calls();
  ASSERT_EQ(calls.infer.size(), 1u);
  const SamplingParams& sent = calls.infer[0].sampling();
  EXPECT_FALSE(sent.has_max_tokens());
  EXPECT_DOUBLE_EQ(sent.temperature(), 0.3);
  EXPECT_FALSE(sent.has_top_p());
}

TEST_F(InferTest, AmbiguousTargetWithoutTerminalListsCandidates) {
  TwoRlServices();
  Result result = Run({"infer", "--network-arch", "cosmos-rl", "--text", "hi",
                       "--image", png_, "--accept-defaults"});
  EXPECT_EQ(result.exit_code, kExitNotFound);
  EXPECT_THAT(result.err,
              AllOf(HasSubstr("AMBIGUOUS_TARGET"), HasSubstr("1.  job-a"),
                    HasSubstr("2.  job-b"), HasSubstr("--job-id")));
  EXPECT_TRUE(fake().calls().infer.empty());
  ASSERT_FALSE(fake().calls().list.empty());
  EXPECT_EQ(fake().calls().list[0].network_arch(), "cosmos-rl");

  Result json = Run({"infer", "--text", "hi", "--image", png_,
                     "--accept-defaults", "--json"});
  EXPECT_EQ(json.exit_code, kExitNotFound);
  nlohmann::json candidates = json.Json()["error"]["details"]["candidates"];
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[1]["job_id"], "job-b");
}

TEST_F(InferTest, AmbiguousTargetOnATerminalAsksWhichOne) {
  TwoRlServices();
  Result result =
      Run({"infer", "--text", "hi", "--image", png_, "--accept-defaults"},
          "7\n2\n", /*tty=*/true);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, AllOf(HasSubstr("Which one? [1-2]"),
                                HasSubstr("type a number from 1 to 2")));
  ASSERT_EQ(fake().calls().infer.size(), 1u);
  EXPECT_EQ(fake().calls().infer[0].job_id(), "job-b");
}

TEST_F(InferTest, AmbiguityReportedByTheServerExitsThree) {
  OneRlService();
  ErrorDetails details;
  details.set_reason_code(ERROR_REASON_AMBIGUOUS_TARGET);
  *details.add_candidates() = MakeService("job-a", "cosmos-rl");
  *details.add_candidates() = MakeService("job-z", "cosmos-rl");
  fake().infer_status = RichStatus(grpc::StatusCode::FAILED_PRECONDITION,
                                   "2 services match", details);
  Result result = Run({"infer", "--text", "hi", "--image", png_,
                       "--accept-defaults", "--json"});
  EXPECT_EQ(result.exit_code, kExitNotFound);
  EXPECT_EQ(result.Json()["error"]["details"]["candidates"][1]["job_id"],
            "job-z");
}

TEST_F(InferTest, NoServiceExitsThree) {
  Result result = Run({"infer", "--text", "hi", "--accept-defaults"});
  EXPECT_EQ(result.exit_code, kExitNotFound);
  EXPECT_THAT(result.err, HasSubstr("no service"));
  EXPECT_TRUE(fake().calls().infer.empty());
}

TEST_F(InferTest, MissingFileIsAUsageErrorBeforeAnyCall) {
  OneRlService();
  Result result = Run({"infer", "--text", "hi", "--image",
                       dir_ + "/missing.png", "--accept-defaults"});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_THAT(result.err, HasSubstr("missing.png"));
  EXPECT_TRUE(fake().calls().list.empty());
  EXPECT_TRUE(fake().calls().infer.empty());
}

TEST_F(InferTest, FieldOfAnotherArchitectureIsRefused) {
  OnePredictService();
  Result result = Run({"infer", "--text", "a robot", "--temperature", "0.5",
                       "--accept-defaults"});
  EXPECT_EQ(result.exit_code, kExitUsage);
  EXPECT_THAT(result.err,
              HasSubstr("--temperature does not apply to cosmos-predict2.5"));
  EXPECT_TRUE(fake().calls().infer.empty());
}

TEST_F(InferTest, VideoAnswerIsWrittenToTheNamedFile) {
  OnePredictService();
  const std::string video = dir_ + "/robot.mp4";
  Result result = Run({"infer", "--text", "a robot", "--guidance", "3",
                       "--accept-defaults", "--output", video});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, AllOf(HasSubstr("video/mp4"), HasSubstr(video)));
  EXPECT_EQ(ReadAll(video), fake().infer_response.choices(0).media());
  EXPECT_EQ(fake().calls().infer[0].sampling().guidance(), 3);
}

TEST_F(InferTest, VideoAnswerGoesToAPrintedDefaultPath) {
  OnePredictService();
  char previous[4096];
  ASSERT_NE(getcwd(previous, sizeof(previous)), nullptr);
  ASSERT_EQ(chdir(dir_.c_str()), 0);
  Result result =
      Run({"infer", "--text", "a robot", "--accept-defaults", "--json"});
  ASSERT_EQ(chdir(previous), 0);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  nlohmann::json json = result.Json();
  ASSERT_EQ(json["outputs"].size(), 1u);
  const std::string path = json["outputs"][0]["path"];
  EXPECT_EQ(path, "./tao-infer-job-p-chatcmpl-1.mp4");
  EXPECT_EQ(json["outputs"][0]["bytes"], 18);
  EXPECT_EQ(json["choices"][0]["media"], "");  // bytes stay in the file
  EXPECT_EQ(ReadAll(dir_ + "/" + path.substr(2)),
            fake().infer_response.choices(0).media());
}

TEST_F(InferTest, BackendErrorExitsOneWithItsDetails) {
  OneRlService();
  ErrorDetails details;
  details.set_reason_code(ERROR_REASON_BACKEND_ERROR);
  details.set_backend_error_type("internal_error");
  details.set_backend_http_status(500);
  fake().infer_status =
      RichStatus(grpc::StatusCode::INTERNAL, "backend failed", details);
  Result result =
      Run({"infer", "--text", "hi", "--image", png_, "--accept-defaults"});
  EXPECT_EQ(result.exit_code, kExitServerError);
  EXPECT_THAT(result.err, HasSubstr("internal_error (HTTP 500)"));
}

TEST_F(InferTest, ModelLoadFailureExitsFour) {
  OneRlService();
  ErrorDetails details;
  details.set_reason_code(ERROR_REASON_MODEL_LOAD_FAILED);
  fake().infer_status = RichStatus(grpc::StatusCode::FAILED_PRECONDITION,
                                   "model failed to load", details);
  EXPECT_EQ(Run({"infer", "--text", "hi", "--image", png_, "--accept-defaults"})
                .exit_code,
            kExitServiceFailed);
}

}  // namespace
}  // namespace tao::cli
