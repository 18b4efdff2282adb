#include "tests/integration/server_harness.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/http_probe.h"

namespace tao::integration {
namespace {

bool PortFree(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  address.sin_port = htons(port);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  bool free =
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return free;
}

// Claims a block of ports below the kernel's ephemeral range that no other
// test process holds (an flock per block) and that are free right now.
int ClaimPortBlock(int& lock_fd) {
  constexpr int kFirst = 20000;
  constexpr int kBlocks = 600;
  mkdir("/tmp/tao-test-ports", 0777);
  std::mt19937 random(std::random_device{}());
  for (int attempt = 0; attempt < 2 * kBlocks; ++attempt) {
    int base = kFirst + ServerHarness::kPortBlockSize *
                            static_cast<int>(random() % kBlocks);
    std::string lock_path = absl::StrCat("/tmp/tao-test-ports/", base);
    int fd = open(lock_path.c_str(), O_CREAT | O_RDWR, 0666);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      close(fd);
      continue;
    }
    bool all_free = true;
    for (int p = base; p < base + ServerHarness::kPortBlockSize; ++p) {
      all_free = all_free && PortFree(p);
    }
    if (all_free) {
      lock_fd = fd;
      return base;
    }
    close(fd);
  }
  return 0;
}

std::string MakeTempDir() {
  const char* root = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(root != nullptr ? root : "/tmp", "/tao-it-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) return "";
  return pattern;
}

}  // namespace

ServerHarness::ServerHarness()
    : dir_(MakeTempDir()), first_port_(ClaimPortBlock(port_lock_fd_)) {}

ServerHarness::~ServerHarness() {
  if (pid_ > 0) {
    Signal(SIGTERM);
    if (!WaitExit(absl::Seconds(30)).ok()) {
      Signal(SIGKILL);
      WaitExit(absl::Seconds(5)).IgnoreError();
    }
  }
  KillServicesUnder();
  if (port_lock_fd_ >= 0) close(port_lock_fd_);
  if (!dir_.empty() && std::getenv("TAO_KEEP_TEST_DIRS") == nullptr) {
    std::system(absl::StrCat("rm -rf '", dir_, "'").c_str());
  }
}

// Services of the test platform run with their working folder under dir_;
// whatever still runs there (also after a SIGKILLed server) is killed.
void ServerHarness::KillServicesUnder() {
  if (dir_.empty()) return;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return;
  while (dirent* entry = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid) || pid == getpid()) continue;
    char cwd[4096];
    std::string link = absl::StrCat("/proc/", pid, "/cwd");
    ssize_t n = readlink(link.c_str(), cwd, sizeof(cwd) - 1);
    if (n <= 0) continue;
    cwd[n] = '\0';
    if (absl::StartsWith(cwd, dir_ + "/")) kill(pid, SIGKILL);
  }
  closedir(proc);
}

std::vector<std::string> ServerHarness::Command(
    const ServerConfig& config) const {
  std::vector<std::string> argv = {
      TAO_INFERD_TEST_PATH,
      "--listen=127.0.0.1:0",
      "--state-file=" + state_path(),
      std::string("--config-dir=") + TAO_CONFIG_DIR,
      "--test-platform-root=" + dir_ + "/services",
      std::string("--reference-backend=") + TAO_REFERENCE_BACKEND_PATH,
      absl::StrCat("--service-ports=", first_port_, "-",
                   first_port_ + kPortBlockSize - 1),
      "--shutdown-grace-seconds=5",
  };
  argv.insert(argv.end(), config.flags.begin(), config.flags.end());
  return argv;
}

absl::Status ServerHarness::Start(ServerConfig config) {
  if (dir_.empty() || first_port_ == 0) {
    return absl::InternalError("no temp dir or no free port block");
  }
  const size_t log_offset = Log().size();
  absl::StatusOr<pid_t> pid =
      StartChild(Command(config), config.env, dir_ + "/server.log");
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  channel_.reset();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  const std::string kMarker = "tao-inferd listening on port ";
  while (absl::Now() < deadline) {
    std::string log = Log().substr(log_offset);
    size_t at = log.find(kMarker);
    if (at != std::string::npos) {
      size_t start = at + kMarker.size();
      size_t end = log.find(' ', start);
      if (end != std::string::npos &&
          absl::SimpleAtoi(log.substr(start, end - start), &grpc_port_)) {
        if (!config.wait_until_serving) return absl::OkStatus();
        absl::Status serving = WaitUntilServing(
            std::max(deadline - absl::Now(), absl::Seconds(1)));
        if (serving.ok()) return serving;
        return absl::Status(serving.code(),
                            absl::StrCat(serving.message(), ":\n", Log()));
      }
    }
    absl::StatusOr<int> exited = WaitExit(absl::ZeroDuration());
    if (exited.ok()) {
      return absl::InternalError(absl::StrCat(
          "tao-inferd exited with ", *exited, " before listening:\n", log));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("tao-inferd did not listen within 60s:\n", Log()));
}

absl::Status ServerHarness::Restart(const ServerConfig& config) {
  Signal(SIGTERM);
  absl::StatusOr<int> exited = WaitExit(absl::Seconds(30));
  if (!exited.ok()) return exited.status();
  return Start(config);
}

absl::StatusOr<int> ServerHarness::StartExpectingExit(ServerConfig config) {
  absl::StatusOr<pid_t> pid =
      StartChild(Command(config), config.env, dir_ + "/server.log");
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  return WaitExit(absl::Seconds(30));
}

void ServerHarness::Signal(int signal_number) {
  if (pid_ > 0) kill(pid_, signal_number);
}

absl::StatusOr<int> ServerHarness::WaitExit(absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("server not running");
  absl::StatusOr<int> code = WaitChild(pid_, timeout);
  if (code.ok()) pid_ = 0;
  return code;
}

std::string ServerHarness::address() const {
  return absl::StrCat("127.0.0.1:", grpc_port_);
}

absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus>
ServerHarness::Health(const std::string& service) const {
  auto stub = grpc::health::v1::Health::NewStub(channel());
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return response.status();
}

absl::Status ServerHarness::WaitUntilServing(absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<grpc::health::v1::HealthCheckResponse::ServingStatus> last;
  while (absl::Now() < deadline) {
    last = Health(std::string(v1::InferenceService::service_full_name()));
    if (last.ok() && *last == grpc::health::v1::HealthCheckResponse::SERVING) {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "health did not say SERVING within ", absl::FormatDuration(timeout),
      " (last answer: ",
      last.ok()
          ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(*last)
          : std::string(last.status().message()),
      ")"));
}

std::shared_ptr<grpc::Channel> ServerHarness::channel() const {
  if (channel_ == nullptr) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(512 * 1024 * 1024);
    args.SetMaxSendMessageSize(512 * 1024 * 1024);
    channel_ = grpc::CreateCustomChannel(
        address(), grpc::InsecureChannelCredentials(), args);
  }
  return channel_;
}

std::unique_ptr<v1::InferenceService::Stub> ServerHarness::NewStub() const {
  return v1::InferenceService::NewStub(channel());
}

bool ServerHarness::WaitForLog(absl::string_view text,
                               absl::Duration timeout) const {
  const absl::Time give_up = absl::Now() + timeout;
  while (!absl::StrContains(Log(), text)) {
    if (absl::Now() >= give_up) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return true;
}

std::string ServerHarness::Log() const {
  return ReadFileOrEmpty(dir_ + "/server.log");
}

nlohmann::json ServerHarness::ReadState() const {
  return nlohmann::json::parse(ReadFileOrEmpty(state_path()), nullptr,
                               /*allow_exceptions=*/false);
}

nlohmann::json ServerHarness::Entry(const std::string& job_id) const {
  nlohmann::json state = ReadState();
  if (!state.is_object() || !state.contains(job_id)) return nullptr;
  return state[job_id];
}

std::string ServerHarness::PlatformData(const std::string& job_id,
                                        const std::string& key) const {
  const nlohmann::json entry = Entry(job_id);
  if (!entry.is_object()) return "";
  const nlohmann::json data =
      entry.value("platform_data", nlohmann::json::object());
  return data.is_object() ? data.value(key, "") : "";
}

pid_t ServerHarness::RecordedTunnelPid(const std::string& job_id) const {
  int pid = 0;
  return absl::SimpleAtoi(PlatformData(job_id, "tunnel_pid"), &pid) ? pid : 0;
}

RunOutput ServerHarness::Cli(
    const std::vector<std::string>& args, const std::string& stdin_text,
    const std::map<std::string, std::string>& env) const {
  std::vector<std::string> argv = {TAO_INFER_CLI_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--server=" + address());
  std::map<std::string, std::string> full_env = env;
  full_env.emplace("TAO_INFER_SERVER", "127.0.0.1:1");  // must be overridden
  absl::StatusOr<RunOutput> output =
      RunChild(argv, full_env, stdin_text, absl::Seconds(120));
  if (!output.ok()) {
    RunOutput failed;
    failed.err = std::string(output.status().message());
    return failed;
  }
  return *output;
}

std::optional<v1::ErrorDetails> DetailsOf(const grpc::Status& status) {
  v1::ErrorStatus error_status;
  if (!error_status.ParseFromString(status.error_details())) {
    return std::nullopt;
  }
  for (const google::protobuf::Any& any : error_status.details()) {
    v1::ErrorDetails details;
    if (any.UnpackTo(&details)) return details;
  }
  return std::nullopt;
}

absl::StatusOr<v1::StartResponse> StartService(v1::InferenceService::Stub& stub,
                                               const std::string& network_arch,
                                               const std::string& model_path,
                                               const std::string& model_key) {
  v1::StartRequest request;
  request.set_platform("test");
  request.set_network_arch(network_arch);
  request.set_model_path(model_path);
  if (!model_key.empty()) request.set_model_key(model_key);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  v1::StartResponse response;
  grpc::Status status = stub.Start(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return response;
}

WaitResult WaitReady(v1::InferenceService::Stub& stub,
                     const std::string& job_id, absl::Duration timeout) {
  v1::WaitReadyRequest request;
  request.set_job_id(job_id);
  request.mutable_timeout()->set_seconds(absl::ToInt64Seconds(timeout));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoSeconds(timeout + absl::Seconds(30)));
  WaitResult result;
  std::unique_ptr<grpc::ClientReader<v1::WaitReadyEvent>> reader =
      stub.WaitReady(&context, request);
  v1::WaitReadyEvent event;
  while (reader->Read(&event)) result.events.push_back(event);
  result.status = reader->Finish();
  return result;
}

nlohmann::json StdoutJson(const RunOutput& output) {
  nlohmann::json parsed = nlohmann::json::parse(output.out, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "stdout is not one JSON document:\n"
                                      << output.out << "\nstderr:\n"
                                      << output.err;
  return parsed;
}

std::string TinyPng() {
  static const unsigned char kPng[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
      0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
      0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
      0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
      0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
      0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(kPng), sizeof(kPng));
}

}  // namespace tao::integration
