#include "tests/fakes/reference_backend_process.h"

#include <httplib.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platforms/common/subprocess.h"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;

constexpr char kLaunchFile[] = "reference_backend_launch.json";
constexpr absl::Duration kPollInterval = absl::Milliseconds(20);

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::string> MakeScratchDir() {
  const char* root = getenv("TEST_TMPDIR");
  std::string pattern = absl::StrCat(root != nullptr ? root : "/tmp",
                                     "/reference_backend.XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, " failed"));
  }
  return pattern;
}

}  // namespace

std::vector<std::string> CosmosRlArgs(const std::string& model_path) {
  Json job = {{"job_id", "00000000-0000-4000-8000-000000000001"},
              {"specs", {{"model_path", model_path}}},
              {"neural_network_name", "cosmos-rl"}};
  return {
      "--arch",   "cosmos-rl",         "--job",
      job.dump(), "--docker_env_vars", Json{{"CLOUD_BASED", "False"}}.dump()};
}

std::vector<std::string> CosmosPredictArgs(const std::string& model_key) {
  return {"--arch",  "cosmos-predict2.5", "--model",
          model_key, "--output-dir",      "/tmp/cosmos-predict2.5-output"};
}

absl::StatusOr<std::unique_ptr<ReferenceBackendProcess>>
ReferenceBackendProcess::Start(Options options) {
  std::unique_ptr<ReferenceBackendProcess> process(
      new ReferenceBackendProcess());
  absl::StatusOr<std::string> dir = MakeScratchDir();
  if (!dir.ok()) return dir.status();
  process->work_dir_ = *dir;

  platforms::SpawnOptions spawn;
  std::string program = options.executable;
  if (!options.entry_point.empty()) {
    program = absl::StrCat(*dir, "/", options.entry_point);
    std::error_code error;
    std::filesystem::create_symlink(options.executable, program, error);
    if (error) {
      return absl::InternalError(
          absl::StrCat("cannot link ", program, ": ", error.message()));
    }
  }
  spawn.argv.push_back(program);
  spawn.argv.insert(spawn.argv.end(), options.args.begin(), options.args.end());
  if (std::find(options.args.begin(), options.args.end(), "--port") ==
      options.args.end()) {
    spawn.argv.insert(spawn.argv.end(), {"--port", "0"});
  }
  spawn.env = options.env;
  spawn.env.emplace("PATH", "/usr/bin:/bin");
  spawn.env.emplace("HOME", *dir);
  spawn.working_dir = *dir;
  spawn.output_path = *dir + "/output.log";
  absl::StatusOr<pid_t> pid = platforms::Spawn(spawn);
  if (!pid.ok()) return pid.status();
  process->pid_ = *pid;

  const std::string launch_path = absl::StrCat(*dir, "/", kLaunchFile);
  const absl::Time give_up = absl::Now() + options.start_timeout;
  while (true) {
    Json launch = Json::parse(ReadFile(launch_path), nullptr, false);
    if (launch.is_object() && launch["port"].is_number_integer()) {
      process->port_ = launch["port"].get<int>();
      process->url_ = absl::StrCat("http://127.0.0.1:", process->port_);
      return process;
    }
    if (!platforms::CheckProcess(*pid).running) {
      return absl::FailedPreconditionError(absl::StrCat(
          "reference_backend exited at start; output:\n", process->Output()));
    }
    if (absl::Now() > give_up) {
      return absl::DeadlineExceededError(absl::StrCat(
          "reference_backend did not start; output:\n", process->Output()));
    }
    absl::SleepFor(kPollInterval);
  }
}

ReferenceBackendProcess::~ReferenceBackendProcess() {
  Stop();
  std::error_code ignored;
  if (!work_dir_.empty()) std::filesystem::remove_all(work_dir_, ignored);
}

void ReferenceBackendProcess::Stop() {
  if (pid_ <= 0) return;
  platforms::StopProcessGroup(pid_, absl::Seconds(5)).IgnoreError();
  platforms::CheckProcess(pid_);  // reaps it
  pid_ = -1;
}

absl::StatusOr<Json> ReferenceBackendProcess::GetJson(
    const std::string& path) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(30, 0);
  httplib::Result result = client.Get(path.c_str());
  if (!result) {
    return absl::UnavailableError(absl::StrCat(
        "GET ", path, " failed: ", httplib::to_string(result.error())));
  }
  Json json = Json::parse(result->body, nullptr, false);
  if (json.is_discarded()) {
    return absl::InternalError(
        absl::StrCat("GET ", path, " answered no JSON: ", result->body));
  }
  return json;
}

absl::Status ReferenceBackendProcess::Control(const Json& control) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(30, 0);
  httplib::Result result =
      client.Post("/_reference/control", control.dump(), "application/json");
  if (!result) {
    return absl::UnavailableError(
        absl::StrCat("POST /_reference/control failed: ",
                     httplib::to_string(result.error())));
  }
  if (result->status != 200) {
    return absl::InternalError(
        absl::StrCat("control refused: ", result->status, " ", result->body));
  }
  return absl::OkStatus();
}

absl::StatusOr<Json> ReferenceBackendProcess::Requests() const {
  return GetJson("/_reference/requests");
}

absl::Status ReferenceBackendProcess::WaitUntilReady(
    absl::Duration timeout) const {
  const absl::Time give_up = absl::Now() + timeout;
  while (absl::Now() < give_up) {
    httplib::Client client("127.0.0.1", port_);
    httplib::Result result = client.Get("/api/v1/health/readiness");
    if (result && result->status == 200) return absl::OkStatus();
    absl::SleepFor(kPollInterval);
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "reference_backend was not ready in time; output:\n", Output()));
}

std::string ReferenceBackendProcess::Output() const {
  return ReadFile(work_dir_ + "/output.log");
}

}  // namespace tao::fakes
