#include "tests/fakes/reference_backend_control.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;

const char* DefaultErrorType(int status) {
  switch (status) {
    case 202:
      return "model_loading";
    case 400:
      return "invalid_request";
    case 503:
      return "model_not_ready";
  }
  return "internal_error";
}

const char* DefaultMessage(Phase phase) {
  switch (phase) {
    case Phase::kInitializing:
      return "Server is initializing";
    case Phase::kInitFailed:
      return "Initialization failed (set by /_reference/control)";
    case Phase::kNotLoaded:
      return "Model is not loaded";
    case Phase::kLoading:
      return "Model is loading";
    case Phase::kLoadFailed:
      return "Model loading failed (set by /_reference/control)";
    case Phase::kReady:
      break;
  }
  return "";
}

absl::Status WrongType(const char* field, const char* expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("control field ", field, " must be ", expected));
}

absl::Status ReadScript(const Json& control, ChatScript* script) {
  if (control.contains("chat_status")) {
    if (!control["chat_status"].is_number_integer()) {
      return WrongType("chat_status", "an HTTP status code");
    }
    script->status = control["chat_status"].get<int>();
    script->error_type = DefaultErrorType(script->status);
    script->message = "scripted by /_reference/control";
  }
  if (control.contains("error_type")) {
    if (!control["error_type"].is_string()) {
      return WrongType("error_type", "a string");
    }
    script->error_type = control["error_type"].get<std::string>();
  }
  if (control.contains("chat_delay_ms")) {
    if (!control["chat_delay_ms"].is_number_integer()) {
      return WrongType("chat_delay_ms", "an integer");
    }
    script->delay_ms = control["chat_delay_ms"].get<int>();
  }
  if (control.contains("close_connection")) {
    if (!control["close_connection"].is_boolean()) {
      return WrongType("close_connection", "true or false");
    }
    script->close_connection = control["close_connection"].get<bool>();
  }
  if (control.contains("count")) {
    if (!control["count"].is_number_integer()) {
      return WrongType("count", "an integer");
    }
    script->count = control["count"].get<int>();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyControl(absl::string_view body, BackendState* state) {
  Json control = Json::parse(body.begin(), body.end(), nullptr,
                             /*allow_exceptions=*/false);
  if (!control.is_object()) {
    return absl::InvalidArgumentError("the control body must be a JSON object");
  }
  if (control.contains("message") && !control["message"].is_string()) {
    return WrongType("message", "a string");
  }
  const std::string message = control.value("message", "");
  if (control.contains("reset")) {
    if (!control["reset"].is_boolean()) return WrongType("reset", "true");
    if (control["reset"].get<bool>()) state->ClearScripts();
  }
  if (control.contains("state")) {
    if (!control["state"].is_string()) return WrongType("state", "a string");
    absl::StatusOr<Phase> phase =
        PhaseFromName(control["state"].get<std::string>());
    if (!phase.ok()) return phase.status();
    state->Override(*phase, message.empty() ? DefaultMessage(*phase) : message);
  }
  const bool scripts_chat = control.contains("chat_status") ||
                            control.contains("chat_delay_ms") ||
                            control.contains("close_connection");
  if (!scripts_chat) return absl::OkStatus();
  ChatScript script;
  if (absl::Status s = ReadScript(control, &script); !s.ok()) return s;
  if (!message.empty()) script.message = message;
  state->AddScript(std::move(script));
  return absl::OkStatus();
}

}  // namespace tao::fakes
