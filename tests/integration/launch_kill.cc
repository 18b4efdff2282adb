#include "tests/integration/launch_kill.h"

#include <signal.h>

#include "absl/strings/str_cat.h"

namespace tao::integration {

absl::StatusOr<std::string> KillServerDuringLaunch(ServerHarness& server,
                                                   const ServerConfig& config,
                                                   v1::StartRequest request,
                                                   const std::string& step) {
  if (server.running()) {
    server.Signal(SIGTERM);
    if (absl::Status s = server.WaitExit(absl::Seconds(30)).status(); !s.ok()) {
      return s;
    }
  }
  ServerConfig paused = config;
  paused.flags.push_back(absl::StrCat("--test_pause_launch_at=", step));
  if (absl::Status s = server.Start(paused); !s.ok()) return s;

  request.set_return_on_accept(true);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(60));
  v1::StartResponse response;
  grpc::Status status = server.NewStub()->Start(&context, request, &response);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("Start failed: ", status.error_message()));
  }
  const std::string job_id = response.service().job_id();
  if (!server.WaitForLog(absl::StrCat("launch of ", job_id, " paused ", step),
                         absl::Seconds(300))) {
    return absl::DeadlineExceededError(
        absl::StrCat("the launch of ", job_id, " never paused at ", step));
  }
  server.Signal(SIGKILL);
  if (absl::Status s = server.WaitExit(absl::Seconds(10)).status(); !s.ok()) {
    return s;
  }
  if (absl::Status s = server.Start(config); !s.ok()) return s;
  return job_id;
}

std::set<std::string> EntriesClaimingAWorkload(const nlohmann::json& state) {
  std::set<std::string> ids;
  if (!state.is_object()) return ids;
  for (const auto& [key, entry] : state.items()) {
    if (key == "latest" || !entry.is_object()) continue;
    const std::string value = entry.value("state", "");
    if (value != "STOPPED" && value != "FAILED") ids.insert(key);
  }
  return ids;
}

}  // namespace tao::integration
