#include "tests/fakes/reference_backend_routes.h"

#include <cstdio>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "tests/fakes/reference_backend_answer.h"
#include "tests/fakes/reference_backend_chat.h"
#include "tests/fakes/reference_backend_control.h"
#include "tests/fakes/reference_backend_drop.h"
#include "tests/fakes/reference_backend_health.h"

namespace tao::fakes {
namespace {

void Send(const HttpAnswer& answer, httplib::Response& response) {
  response.status = answer.status;
  response.set_content(answer.body.dump(), "application/json");
}

// Chat: record, apply a scripted answer if any, then the container's check
// order (state first, then the body).
void HandleChat(const RouteContext& context, const httplib::Request& request,
                httplib::Response& response) {
  context.state->RecordRequest(request.body);
  std::optional<ChatScript> script = context.state->NextScript();
  if (script.has_value()) {
    absl::SleepFor(absl::Milliseconds(script->delay_ms));
    if (script->close_connection) {
      DropConnection(request.local_port, request.remote_port);
      response.status = 500;  // never arrives
      return;
    }
    if (script->status != 0 && script->status != 200) {
      Send(ErrorAnswer(script->status, script->error_type, script->message),
           response);
      return;
    }
  }
  std::optional<HttpAnswer> not_ready =
      ChatNotReadyAnswer(context.state->Current());
  if (not_ready.has_value()) {
    Send(*not_ready, response);
    return;
  }
  Send(AnswerChat(*context.config, request.body, absl::Now()), response);
}

void LogRequest(const httplib::Request& request,
                const httplib::Response& response) {
  std::printf("reference backend: %s %s -> %d (%zu bytes in, %zu out)\n",
              request.method.c_str(), request.path.c_str(), response.status,
              request.body.size(), response.body.size());
  std::fflush(stdout);
}

}  // namespace

void RegisterRoutes(const RouteContext& context, httplib::Server* server) {
  server->Get("/api/v1/health/readiness",
              [context](const httplib::Request&, httplib::Response& response) {
                Send(ReadinessAnswer(context.state->Current(), *context.config,
                                     absl::Now()),
                     response);
              });
  server->Get("/api/v1/health/liveness",
              [context](const httplib::Request&, httplib::Response& response) {
                Send(LivenessAnswer(context.state->Current(), *context.config,
                                    absl::Now()),
                     response);
              });
  server->Post(
      "/v1/chat/completions",
      [context](const httplib::Request& request, httplib::Response& response) {
        HandleChat(context, request, response);
      });
  server->Get("/_reference/launch",
              [context](const httplib::Request&, httplib::Response& response) {
                Send({200, *context.launch_info}, response);
              });
  server->Get("/_reference/requests",
              [context](const httplib::Request&, httplib::Response& response) {
                Send({200, context.state->Requests()}, response);
              });
  server->Post("/_reference/control", [context](const httplib::Request& request,
                                                httplib::Response& response) {
    absl::Status status = ApplyControl(request.body, context.state);
    Send(status.ok() ? HttpAnswer{200, {{"ok", true}}}
                     : ErrorAnswer(400, "invalid_request",
                                   std::string(status.message())),
         response);
  });
  server->set_logger(&LogRequest);
}

}  // namespace tao::fakes
