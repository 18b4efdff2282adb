// ServiceManager against a scripted platform, the real catalog (config/) and
// a real registry file: what Start hands the platform, what it records, and
// how Stop, List and WaitReady react to the platform's answers.
#include "server/core/service_manager.h"

#include <map>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/common/errors.h"
#include "tests/platforms/testing/fault_injecting_platform.h"
#include "tests/platforms/testing/scripted_platform.h"
#include "tests/server/core/service_manager_fixture.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;
using platforms::RuntimeState;
using platforms::testing::FaultInjectingPlatform;
using platforms::testing::ScriptedPlatform;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::kToken;
using ::testing::Not;
using testing::ServiceManagerTest;

TEST_F(ServiceManagerTest, StartHandsThePlatformWhatTheSpecSays) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string job_id = started->service().job_id();
  ASSERT_EQ(platform_->launched().size(), 1u);
  const platforms::LaunchSpec spec = platform_->launched()[0];
  EXPECT_EQ(spec.job_id, job_id);
  EXPECT_EQ(spec.num_gpus, 1);
  EXPECT_EQ(spec.host_port, 8080);
  EXPECT_EQ(spec.image, "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl");
  EXPECT_EQ(spec.server_instance, "inferd-test-1");
  // Env payload of spec §5.1 with this platform's backend value.
  EXPECT_EQ(spec.env.at("TAO_EXECUTION_BACKEND"), "slurm");
  EXPECT_EQ(spec.env.at("TAO_API_JOB_ID"), job_id);
  EXPECT_EQ(spec.env.at("CLOUD_BASED"), "False");
  // The secret only as secret env, never in the command.
  EXPECT_EQ(spec.secret_env.at("HF_TOKEN"), kToken);
  EXPECT_EQ(spec.env.count("HF_TOKEN"), 0u);
  const std::string command = platform_->launched_commands()[0];
  EXPECT_THAT(command, Not(HasSubstr(kToken)));
  EXPECT_EQ(
      command,
      "umask 0 && cosmos-rl-inference-microservice --job '{\"job_id\":\"" +
          job_id +
          "\",\"specs\":{\"model_path\":\"hf_model://nvidia/"
          "Cosmos-Reason1-7B\"},\"neural_network_name\":\"cosmos-rl\"}' "
          "--docker_env_vars '{\"TAO_EXECUTION_BACKEND\":\"slurm\","
          "\"TAO_API_JOB_ID\":\"" +
          job_id + "\",\"CLOUD_BASED\":\"False\"}'");

  // Recorded with the placement's ids, as latest.
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  const registry::ServiceEntry* entry = state->Find(job_id);
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->platform_job_id, "batch-1");
  EXPECT_EQ(entry->host_port, 8080);
  EXPECT_EQ(entry->platform_data.at("launch_number"), "1");
  EXPECT_EQ(state->latest(), job_id);
  EXPECT_TRUE(started->service().latest());
}

TEST_F(ServiceManagerTest, PortsAreLowestFreeAndReusedAfterStop) {
  auto a = Start(Request());
  auto b = Start(Request());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->service().host_port(), 8080);
  EXPECT_EQ(b->service().host_port(), 8081);
  v1::StopRequest stop;
  stop.set_job_id(a->service().job_id());
  ASSERT_TRUE(manager_->Stop(stop).ok());
  auto c = Start(Request());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->service().host_port(), 8080);
}

TEST_F(ServiceManagerTest, NothingLaunchesWhenTheRegistryCannotRecordIt) {
  registry_->fail_writes_ = 1;  // the PENDING entry
  auto started = Start(Request());
  EXPECT_TRUE(absl::IsUnavailable(started.status())) << started.status();
  EXPECT_TRUE(platform_->launched().empty());
  auto again = Start(Request());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->service().host_port(), 8080);
}

TEST_F(ServiceManagerTest, FailedRegistryWriteStopsTheWorkload) {
  // Nothing may run that the registry does not know about.
  registry_->succeed_writes_ = 1;  // the PENDING entry
  registry_->fail_writes_ = 1;     // the launched placement
  auto started = Start(Request());
  EXPECT_TRUE(absl::IsUnavailable(started.status())) << started.status();
  ASSERT_EQ(platform_->launched().size(), 1u);
  EXPECT_THAT(platform_->terminated(),
              ElementsAre(platform_->launched()[0].job_id));
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->entries().empty());
  // The port went back to the pool.
  auto again = Start(Request());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->service().host_port(), 8080);
}

TEST_F(ServiceManagerTest, LaunchErrorsAreRedacted) {
  // A manager of its own whose platform fails Launch with a message that
  // quotes the token.
  platforms::PlatformRegistry platforms;
  ServiceManager::Options options;
  options.registry = registry_.get();
  options.catalog = catalog_.get();
  auto wrapped = std::make_unique<FaultInjectingPlatform>(
      std::make_unique<ScriptedPlatform>());
  wrapped->FailNext(
      FaultInjectingPlatform::Method::kLaunch,
      absl::UnavailableError(absl::StrCat("cluster down; token was ", kToken)));
  ASSERT_TRUE(platforms.Register(std::move(wrapped)).ok());
  options.platforms = &platforms;
  options.backend = backend_.get();
  options.getenv = [](absl::string_view name) {
    return name == "HF_TOKEN" ? std::optional<std::string>(kToken)
                              : std::optional<std::string>();
  };
  options.port_bindable = [](int) { return true; };
  auto manager = ServiceManager::Create(options);
  ASSERT_TRUE(manager.ok());
  auto started = (*manager)->Start(Request(), absl::InfiniteFuture(), nullptr);
  EXPECT_TRUE(absl::IsUnavailable(started.status()));
  EXPECT_THAT(started.status().message(), Not(HasSubstr(kToken)));
  EXPECT_THAT(started.status().message(), HasSubstr("cluster down"));
}

TEST_F(ServiceManagerTest, StopKeepsTheEntryWhenThePlatformCannotStop) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  platform_->SetTerminateStatus(absl::UnavailableError("scheduler down"));
  v1::StopRequest stop;
  stop.set_job_id(started->service().job_id());
  auto stopped = manager_->Stop(stop);
  EXPECT_TRUE(absl::IsUnavailable(stopped.status())) << stopped.status();
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  EXPECT_NE(state->Find(started->service().job_id()), nullptr);

  platform_->SetTerminateStatus(absl::OkStatus());
  stopped = manager_->Stop(stop);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(stopped->latest_job_id(), "");
}

TEST_F(ServiceManagerTest, StopWithoutJobIdIsRefused) {
  auto stopped = manager_->Stop(v1::StopRequest());
  EXPECT_TRUE(absl::IsInvalidArgument(stopped.status())) << stopped.status();
  EXPECT_THAT(stopped.status().message(), HasSubstr("job_id"));
}

struct RefreshCase {
  std::string name;
  RuntimeState runtime;
  absl::Status inspect_status;
  v1::ServiceState expected;
  std::string reason_part;
};

RuntimeState Runtime(RuntimeState::Phase phase, std::string detail = "",
                     std::optional<int> exit_code = std::nullopt) {
  RuntimeState runtime;
  runtime.phase = phase;
  runtime.detail = std::move(detail);
  runtime.has_exit_code = exit_code.has_value();
  runtime.exit_code = exit_code.value_or(0);
  return runtime;
}

TEST_F(ServiceManagerTest, ListRefreshMapsPlatformStates) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  platform_->SetLogs(
      absl::StrCat("loading\nTraceback: token ", kToken, " rejected\n"));
  // Built with push_back: GCC 12 at -O3 wrongly warns (maybe-uninitialized)
  // about nested aggregates in a braced initializer list.
  std::vector<RefreshCase> cases;
  cases.push_back({"pending",
                   Runtime(RuntimeState::Phase::kPending, "Priority"),
                   absl::OkStatus(), v1::SERVICE_STATE_PENDING, "Priority"});
  cases.push_back({"exited", Runtime(RuntimeState::Phase::kExited, "", 3),
                   absl::OkStatus(), v1::SERVICE_STATE_FAILED, "exit code 3"});
  cases.push_back({"missing", Runtime(RuntimeState::Phase::kMissing),
                   absl::OkStatus(), v1::SERVICE_STATE_STOPPED, "gone"});
  cases.push_back({"unreachable", RuntimeState(),
                   absl::UnavailableError("no route to cluster"),
                   v1::SERVICE_STATE_UNKNOWN, "no route"});
  for (const RefreshCase& c : cases) {
    SCOPED_TRACE(c.name);
    platform_->SetRuntime(c.runtime);
    platform_->SetInspectStatus(c.inspect_status);
    v1::ListRequest list;
    list.set_refresh(true);
    auto listed = manager_->List(list);
    ASSERT_TRUE(listed.ok()) << listed.status();
    ASSERT_EQ(listed->services_size(), 1);
    EXPECT_EQ(listed->services(0).state(), c.expected);
    EXPECT_THAT(listed->services(0).reason(), HasSubstr(c.reason_part));
    EXPECT_THAT(listed->services(0).reason(), Not(HasSubstr(kToken)));
  }
}

platforms::OwnedWorkload Owned(const std::string& job_id,
                               const std::string& detail) {
  platforms::OwnedWorkload workload;
  workload.job_id = job_id;
  workload.network_arch = "cosmos-rl";
  workload.detail = detail;
  return workload;
}

TEST_F(ServiceManagerTest, ReconcileReportsGoneAndUnregisteredWorkloads) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  const std::string registered = started->service().job_id();
  platform_->SetRuntime(Runtime(RuntimeState::Phase::kMissing));
  platform_->SetOwned(std::vector<platforms::OwnedWorkload>{
      Owned(registered, "running"),
      Owned("orphan-job", absl::StrCat("running with token ", kToken))});
  const int inspections_before = platform_->inspections();

  const std::string log = Reconcile();

  EXPECT_THAT(log, HasSubstr(absl::StrCat("registry entry ", registered)));
  EXPECT_THAT(log, HasSubstr(absl::StrCat("`tao-infer stop ", registered)));
  EXPECT_THAT(log, HasSubstr("orphan-job (cosmos-rl), started by this server "
                             "but not in the registry"));
  EXPECT_THAT(log, HasSubstr(dir_.File("state.json")));
  EXPECT_THAT(log, Not(HasSubstr(absl::StrCat(
                       registered, " (cosmos-rl), started by this server"))));
  EXPECT_THAT(log, Not(HasSubstr(kToken)));
  // One question per entry: Reattach answers with the state.
  EXPECT_EQ(platform_->reattachments(), 1);
  EXPECT_EQ(platform_->inspections(), inspections_before);
  // Asked for this server's workloads.
  EXPECT_THAT(platform_->calls(), Contains("ListOwned inferd-test-1"));
  // Reported, never removed: the operator decides.
  EXPECT_TRUE(platform_->terminated().empty());
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->entries().count(registered), 1u);
}

TEST_F(ServiceManagerTest, ReconcileSkipsAPlatformAfterItsFirstUnavailable) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Start(Request()).ok());
  platform_->SetReattachStatus(absl::UnavailableError("controller down"));
  platform_->SetOwned(std::vector<platforms::OwnedWorkload>());
  const int inspections_before = platform_->inspections();

  const std::string log = Reconcile();

  EXPECT_EQ(platform_->inspections(), inspections_before);
  EXPECT_EQ(platform_->reattachments(), 1);
  EXPECT_THAT(log, HasSubstr("could not reattach: controller down"));
  EXPECT_THAT(log, HasSubstr("platform scripted is unreachable: the 2 other "
                             "registry entries on it were not checked"));
  // Nor is the unreachable platform asked for its workloads.
  EXPECT_THAT(platform_->calls(),
              Not(Contains(::testing::StartsWith("ListOwned"))));
}

TEST_F(ServiceManagerTest, ReconcileGoesOnAfterOtherErrors) {
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Start(Request()).ok());
  platform_->SetReattachStatus(absl::InternalError("odd answer"));
  platform_->SetOwned(absl::UnavailableError("squeue timed out"));

  const std::string log = Reconcile();

  EXPECT_EQ(platform_->reattachments(), 2);
  EXPECT_THAT(log, Not(HasSubstr("were not checked")));
  EXPECT_THAT(log, HasSubstr("could not look for services missing from the "
                             "registry: squeue timed out"));
}

TEST_F(ServiceManagerTest, ReconcileIsQuietWhenAPlatformCannotListItsOwn) {
  ASSERT_TRUE(Start(Request()).ok());
  // The scripted platform's default ListOwned: UNIMPLEMENTED.
  const std::string log = Reconcile();
  EXPECT_THAT(platform_->calls(), Contains("ListOwned inferd-test-1"));
  EXPECT_THAT(log, Not(HasSubstr("could not look for services")));
}

TEST_F(ServiceManagerTest, ReconcileLogsARegistryItCannotRead) {
  ASSERT_TRUE(Start(Request()).ok());
  registry_->fail_reads_ = 1;
  const std::string log = Reconcile();
  EXPECT_THAT(log, HasSubstr("cannot read the registry"));
  EXPECT_THAT(log, HasSubstr("not JSON"));
  EXPECT_EQ(platform_->reattachments(), 0);
}

TEST_F(ServiceManagerTest, ReconcileStoresWhatReattachChanged) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  const std::string job_id = started->service().job_id();
  platform_->SetRepairAttributes({{"tunnel_pid", "4242"}});
  Reconcile();
  const registry::ServiceEntry entry = EntryOf(job_id);
  EXPECT_EQ(entry.platform_data.at("tunnel_pid"), "4242");
  EXPECT_EQ(entry.platform_data.at("launch_number"), "1");  // kept

  // Nothing changed the second time: nothing is written.
  const int writes = registry_->writes_;
  Reconcile();
  EXPECT_EQ(registry_->writes_, writes);
}

TEST_F(ServiceManagerTest, ReconcileReturnsWhenStopped) {
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Start(Request()).ok());
  platform_->SetOwned(std::vector<platforms::OwnedWorkload>());
  manager_->ReconcileAtStartup([] { return true; });
  EXPECT_EQ(platform_->reattachments(), 0);
  EXPECT_THAT(platform_->calls(),
              Not(Contains(::testing::StartsWith("ListOwned"))));
}

TEST_F(ServiceManagerTest, WaitReadyFailsWhenTheWorkloadExits) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  platform_->SetRuntime({RuntimeState::Phase::kExited, 137, true, "OOMKilled"});
  platform_->SetLogs(absl::StrCat("CUDA out of memory; HF_TOKEN=", kToken));
  auto [events, status] = Wait(started->service().job_id(), absl::Seconds(30));
  EXPECT_TRUE(status.ok()) << status;
  ASSERT_FALSE(events.empty());
  const v1::WaitReadyEvent& last = events.back();
  EXPECT_EQ(last.state(), v1::SERVICE_STATE_FAILED);
  EXPECT_EQ(last.phase(), v1::PHASE_FAILED);
  const std::string text = last.reason() + " " + last.message();
  EXPECT_THAT(text, HasSubstr("137"));
  EXPECT_THAT(text, HasSubstr("CUDA out of memory"));
  EXPECT_THAT(text, Not(HasSubstr(kToken)));
  // The state is recorded for List.
  auto state = registry_->Read();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->Find(started->service().job_id())->state, "FAILED");
}

TEST_F(ServiceManagerTest, WaitReadyTimesOutWhileNobodyAnswers) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  auto [events, status] =
      Wait(started->service().job_id(), absl::Milliseconds(300));
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  // Not answering: the platform was asked to make it reachable.
  EXPECT_GT(platform_->repairs(), 0);
}

TEST_F(ServiceManagerTest, WaitReadyStopsWhenTheClientGoesAway) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  v1::WaitReadyRequest request;
  request.set_job_id(started->service().job_id());
  absl::Status status = manager_->WaitReady(
      request, absl::InfiniteFuture(), [] { return false; },
      [](const v1::WaitReadyEvent&) { return false; });
  EXPECT_TRUE(absl::IsCancelled(status)) << status;
}

TEST_F(ServiceManagerTest, WaitReadyForUnknownJobIsNotFound) {
  auto [events, status] = Wait("nope", absl::Seconds(1));
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("nope"));
}

// A platform of its own registered beside "scripted" (the fixture's
// manager sees it too).
ScriptedPlatform* AddPlatform(platforms::PlatformRegistry& platforms,
                              ScriptedPlatform::Options options) {
  auto platform = std::make_unique<ScriptedPlatform>(std::move(options));
  ScriptedPlatform* raw = platform.get();
  EXPECT_TRUE(platforms.Register(std::move(platform)).ok());
  return raw;
}

TEST_F(ServiceManagerTest, ThisHostsScopeSkipsPortsBoundOnTheHost) {
  std::set<int> asked;
  auto manager = MakeManager(platforms_, [&asked](int port) {
    asked.insert(port);
    return port != 8080;  // something else holds 8080 here
  });
  ASSERT_TRUE(manager.ok());
  auto started = (*manager)->Start(Request(), absl::InfiniteFuture(), nullptr);
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->service().host_port(), 8081);
  EXPECT_THAT(asked, Contains(8080));

  v1::StartRequest taken = Request();
  taken.set_host_port(8080);
  EXPECT_TRUE(absl::IsAlreadyExists(
      (*manager)->Start(taken, absl::InfiniteFuture(), nullptr).status()));
}

TEST_F(ServiceManagerTest, OtherScopesNeitherProbeNorShareThisHostsPorts) {
  ScriptedPlatform* remote_a =
      AddPlatform(platforms_, {"remote-a", "slurm", "remote:a"});
  AddPlatform(platforms_, {"remote-b", "slurm", "remote:b"});
  AddPlatform(platforms_, {"portless", "slurm", ""});
  bool probed = false;
  auto manager = MakeManager(platforms_, [&probed](int) {
    probed = true;
    return false;  // nothing would be free on this host
  });
  ASSERT_TRUE(manager.ok());
  auto start_on = [&](const std::string& platform) {
    v1::StartRequest request = Request();
    request.set_platform(platform);
    return (*manager)->Start(request, absl::InfiniteFuture(), nullptr);
  };
  auto a1 = start_on("remote-a");
  auto a2 = start_on("remote-a");
  auto b1 = start_on("remote-b");
  auto none = start_on("portless");
  ASSERT_TRUE(a1.ok() && a2.ok() && b1.ok() && none.ok());
  EXPECT_FALSE(probed);
  EXPECT_EQ(a1->service().host_port(), 8080);
  EXPECT_EQ(a2->service().host_port(), 8081);  // same scope: registry ports
  EXPECT_EQ(b1->service().host_port(), 8080);  // another scope
  EXPECT_EQ(none->service().host_port(), 0);
  EXPECT_EQ(remote_a->launched().size(), 2u);
}

TEST_F(ServiceManagerTest, PlatformOptionsAreValidatedBeforeAnythingStarts) {
  ScriptedPlatform* slurm = AddPlatform(platforms_, {"slurm", "slurm"});
  slurm->SetOptionsStatus(
      absl::InvalidArgumentError("slurm.partition: \"gpu!\" is not valid"));
  v1::StartRequest request = Request();
  request.set_platform("slurm");
  request.mutable_slurm()->set_partition("gpu!");
  auto started = Start(request);
  ASSERT_TRUE(absl::IsInvalidArgument(started.status())) << started.status();
  EXPECT_THAT(std::string(started.status().message()),
              HasSubstr("slurm.partition"));
  std::optional<v1::ErrorDetails> details = GetDetails(started.status());
  ASSERT_TRUE(details.has_value());
  ASSERT_EQ(details->field_violations_size(), 1);
  EXPECT_EQ(details->field_violations(0).field(), "slurm");
  ASSERT_EQ(slurm->validated().size(), 1u);
  EXPECT_EQ(slurm->validated()[0].at("partition"), "gpu!");
  EXPECT_TRUE(slurm->launched().empty());
  // Nothing was reserved: the next Start gets the lowest port.
  auto next = Start(Request());
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->service().host_port(), 8080);
}

TEST_F(ServiceManagerTest, ADriversBadCommandPortFailsTheLaunch) {
  ScriptedPlatform::Options options{"bad-port", "slurm"};
  options.command_port = -1;
  ScriptedPlatform* bad = AddPlatform(platforms_, options);
  v1::StartRequest request = Request();
  request.set_platform("bad-port");
  auto started = Start(request);
  ASSERT_TRUE(absl::IsInvalidArgument(started.status())) << started.status();
  EXPECT_THAT(std::string(started.status().message()),
              HasSubstr("container_port"));
  EXPECT_TRUE(bad->launched().empty());
}

TEST_F(ServiceManagerTest, RepairedPlacementsAreStored) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  const std::string job_id = started->service().job_id();

  // List --refresh lets the driver repair (a re-opened tunnel)...
  platform_->SetRepairAttributes({{"tunnel_pid", "1001"}});
  v1::ListRequest list;
  list.set_refresh(true);
  ASSERT_TRUE(manager_->List(list).ok());
  EXPECT_EQ(EntryOf(job_id).platform_data.at("tunnel_pid"), "1001");

  // ...and so does WaitReady while the service does not answer.
  platform_->SetRepairAttributes({{"tunnel_pid", "1002"}});
  Wait(job_id, absl::Milliseconds(100));
  EXPECT_EQ(EntryOf(job_id).platform_data.at("tunnel_pid"), "1002");
  EXPECT_EQ(EntryOf(job_id).platform_data.at("launch_number"), "1");

  // A repair that changed nothing writes nothing.
  const int writes = registry_->writes_;
  ASSERT_TRUE(manager_->List(list).ok());
  EXPECT_EQ(registry_->writes_, writes);
}

TEST_F(ServiceManagerTest, UnchangedStatesAreNotWrittenAgain) {
  auto started = Start(Request());
  ASSERT_TRUE(started.ok());
  platform_->SetRuntime(Runtime(RuntimeState::Phase::kPending, "Priority"));
  Wait(started->service().job_id(), absl::Milliseconds(200));
  EXPECT_EQ(EntryOf(started->service().job_id()).state, "PENDING");
  const int writes = registry_->writes_;
  Wait(started->service().job_id(), absl::Milliseconds(200));
  EXPECT_EQ(registry_->writes_, writes);
}

}  // namespace
}  // namespace tao::core
