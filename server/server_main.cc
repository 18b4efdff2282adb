#include "server/server_main.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "platforms/builtin.h"
#include "platforms/common/log.h"
#include "platforms/platform_registry.h"
#include "server/core/backend/backend_client.h"
#include "server/core/catalog/catalog.h"
#include "server/core/common/ids.h"
#include "server/core/registry/file_registry.h"
#include "server/core/service_manager.h"
#include "server/service/inference_service_impl.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve gRPC on (host:port; port 0 picks a free one).");
ABSL_FLAG(std::string, state_file, "/tmp/tao-inf-ms-state.json",
          "The service registry file (compatible with the original skill's).");
ABSL_FLAG(std::string, config_dir, TAO_DEFAULT_CONFIG_DIR,
          "Folder with the architecture catalog (images.yaml, versions.yaml, "
          "architectures.yaml, <arch>.config.json).");
ABSL_FLAG(bool, move_corrupt_registry, false,
          "If the registry file cannot be parsed, move it aside to "
          "<file>.corrupt-<time> and start with an empty registry (the "
          "default is to refuse to start).");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "On SIGTERM/SIGINT, how long in-flight calls may run before they "
          "are cancelled.");
ABSL_FLAG(std::string, service_ports, "8080-8199",
          "Host ports handed to services (FIRST-LAST), lowest free first.");
ABSL_FLAG(
    int, max_message_mib, 512,
    "Largest gRPC message accepted or sent, in MiB (media travel inline).");

namespace {

using tao::platforms::LogError;
using tao::platforms::LogInfo;
using tao::platforms::LogWarning;

int Fail(const std::string& message) {
  LogError(message);
  return 1;
}

// Opens the registry; a corrupt file stops the server unless the operator
// asked for it to be moved aside.
absl::StatusOr<std::unique_ptr<tao::registry::FileRegistry>> OpenRegistry() {
  tao::registry::FileRegistry::Options options;
  options.path = absl::GetFlag(FLAGS_state_file);
  auto registry = tao::registry::FileRegistry::Create(options);
  if (registry.ok() || !absl::IsDataLoss(registry.status()) ||
      !absl::GetFlag(FLAGS_move_corrupt_registry)) {
    return registry;
  }
  std::string aside = absl::StrCat(
      options.path, ".corrupt-",
      absl::FormatTime("%Y%m%dT%H%M%S", absl::Now(), absl::UTCTimeZone()));
  if (std::rename(options.path.c_str(), aside.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("could not move ", options.path, " to ", aside));
  }
  tao::platforms::LogWarning(absl::StrCat("moved the corrupt registry to ",
                                          aside,
                                          "; starting with an empty registry"));
  return tao::registry::FileRegistry::Create(options);
}

absl::Status RegisterPlatforms(
    tao::platforms::PlatformRegistry& platforms,
    const std::function<absl::Status(tao::platforms::PlatformRegistry&)>&
        extra_platforms) {
  if (absl::Status s = tao::platforms::RegisterBuiltinPlatforms(platforms);
      !s.ok()) {
    return s;
  }
  return extra_platforms ? extra_platforms(platforms) : absl::OkStatus();
}

bool ParsePortRange(absl::string_view text, int& first, int& last) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits('-', 1));
  return absl::SimpleAtoi(parts.first, &first) &&
         absl::SimpleAtoi(parts.second, &last);
}

// Accepts --state-file as well as absl's --state_file: rewrites dashes in
// flag names (not in values) to underscores.
std::vector<char*> NormalizeFlagNames(int argc, char** argv,
                                      std::vector<std::string>& storage) {
  storage.assign(argv, argv + argc);
  for (std::string& arg : storage) {
    if (arg == "--") break;
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;
    const size_t name_end = std::min(arg.find('='), arg.size());
    std::replace(arg.begin() + 2, arg.begin() + name_end, '-', '_');
  }
  std::vector<char*> result;
  for (std::string& arg : storage) result.push_back(arg.data());
  return result;
}

}  // namespace

namespace tao::server {

int RunServer(int argc, char** argv,
              const std::function<absl::Status(platforms::PlatformRegistry&)>&
                  extra_platforms) {
  absl::SetProgramUsageMessage(
      "tao-inferd: gRPC control plane for TAO inference microservices.\n"
      "Usage: tao-inferd [--listen=HOST:PORT] [--state-file=PATH] "
      "[--config-dir=DIR]");
  std::vector<std::string> arg_storage;
  std::vector<char*> args = NormalizeFlagNames(argc, argv, arg_storage);
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());

  // Handle SIGTERM/SIGINT on one thread of our own: block them before any
  // other thread exists, so every later thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto registry = OpenRegistry();
  if (!registry.ok()) {
    return Fail(absl::StrCat("cannot start: ", registry.status().message()));
  }
  tao::catalog::Catalog::Options catalog_options;
  catalog_options.config_dir = absl::GetFlag(FLAGS_config_dir);
  auto catalog = tao::catalog::Catalog::Create(catalog_options);
  if (!catalog.ok()) {
    return Fail(absl::StrCat("cannot start: ", catalog.status().message()));
  }
  tao::platforms::PlatformRegistry platforms;
  if (absl::Status s = RegisterPlatforms(platforms, extra_platforms); !s.ok()) {
    return Fail(absl::StrCat("cannot start: ", s.message()));
  }

  tao::core::ServiceManager::Options manager_options;
  if (!ParsePortRange(absl::GetFlag(FLAGS_service_ports),
                      manager_options.first_service_port,
                      manager_options.last_service_port)) {
    return Fail(absl::StrCat("--service-ports: '",
                             absl::GetFlag(FLAGS_service_ports),
                             "' is not FIRST-LAST, e.g. 8080-8199"));
  }
  manager_options.registry = registry->get();
  manager_options.catalog = catalog->get();
  manager_options.platforms = &platforms;
  // The backend client redacts with the same secrets as the manager.
  tao::backend::BackendClient::Options backend_options;
  backend_options.redactor =
      tao::core::ServiceManager::SecretRedactor(**catalog, nullptr);
  tao::backend::BackendClient backend(backend_options);
  manager_options.backend = &backend;
  auto manager = tao::core::ServiceManager::Create(manager_options);
  if (!manager.ok()) return Fail(std::string(manager.status().message()));

  tao::service::InferenceServiceImpl service(manager->get());
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen),
                           grpc::InsecureServerCredentials(), &port);
  const int max_bytes = absl::GetFlag(FLAGS_max_message_mib) * 1024 * 1024;
  builder.SetMaxReceiveMessageSize(max_bytes);
  builder.SetMaxSendMessageSize(max_bytes);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::StrCat("cannot listen on ", absl::GetFlag(FLAGS_listen)));
  }
  // NOT_SERVING until the registry was checked against the platforms; RPCs
  // work meanwhile. "" first: whoever sees the service NOT_SERVING sees the
  // server so too.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  const std::string service_name(
      tao::inference::v1::InferenceService::service_full_name());
  health->SetServingStatus("", false);
  health->SetServingStatus(service_name, false);
  LogInfo(absl::StrCat(
      "tao-inferd listening on port ", port, " (", absl::GetFlag(FLAGS_listen),
      "), registry ", (*registry)->Describe(), ", platforms: ",
      platforms.names().empty() ? std::string("(none)")
                                : absl::StrJoin(platforms.names(), ", "),
      ", server instance ", (*manager)->server_instance()));

  std::atomic<bool> stopping{false};
  std::thread reconcile([&] {
    LogInfo(
        "checking the registry against the platforms (health NOT_SERVING "
        "until done)");
    (*manager)->ReconcileAtStartup([&stopping] { return stopping.load(); });
    if (stopping.load()) return;
    health->SetServingStatus(true);  // every service, "" included
    LogInfo("registry checked; health SERVING");
  });

  std::thread signal_thread([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    LogInfo(absl::StrCat("received ", strsignal(signal_number),
                         "; finishing in-flight calls"));
    stopping.store(true);
    health->Shutdown();
    // Calls still running after the grace period are cancelled.
    if (!service.WaitUntilIdle(
            absl::Now() +
            absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)))) {
      LogWarning("grace period over; cancelling the calls still running");
    }
    server->Shutdown(std::chrono::system_clock::now());
  });
  server->Wait();
  signal_thread.join();
  // A platform call in flight ends within the driver's own timeouts.
  reconcile.join();
  LogInfo("tao-inferd stopped");
  return 0;
}

}  // namespace tao::server
