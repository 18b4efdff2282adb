#include "server/core/backend/backend_answers.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "server/core/common/errors.h"

namespace tao::backend {
namespace {

namespace v1 = ::tao::inference::v1;
using Json = nlohmann::json;

std::string StringField(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// Types after which waiting longer cannot help (both body shapes).
bool IsHardFailure(absl::string_view type) {
  return type == "initialization_error" || type == "model_load_error" ||
         type == "initialization_failed" || type == "model_load_failed";
}

// "HTTP 503 model_load_error: <message>", or the body itself when it has
// no error shape.
std::string Describe(long http_status, const BackendError& error,
                     absl::string_view body,
                     const platforms::Redactor& redactor) {
  std::string text = absl::StrCat("HTTP ", http_status);
  if (!error.type.empty()) absl::StrAppend(&text, " ", error.type);
  if (!error.message.empty()) {
    absl::StrAppend(&text, ": ", CleanMessage(error.message, redactor));
  } else if (error.type.empty() && !body.empty()) {
    absl::StrAppend(&text, ": ", CleanMessage(body, redactor));
  }
  return text;
}

absl::Status WithBackendDetails(absl::Status status, v1::ErrorReason reason,
                                const BackendError& error, long http_status) {
  v1::ErrorDetails details;
  details.set_reason_code(reason);
  details.set_backend_error_type(error.type);
  details.set_backend_http_status(static_cast<int32_t>(http_status));
  return core::WithDetails(std::move(status), details);
}

}  // namespace

BackendError ParseBackendError(absl::string_view body) {
  BackendError error;
  Json json = Json::parse(body.begin(), body.end(), nullptr,
                          /*allow_exceptions=*/false);
  if (!json.is_object()) return error;
  auto nested = json.find("error");
  if (nested != json.end() && nested->is_object()) {
    error.type = StringField(*nested, "type");
    error.message = StringField(*nested, "message");
    return error;
  }
  error.type = StringField(json, "reason");
  error.message = StringField(json, "message");
  return error;
}

std::string CleanMessage(absl::string_view text,
                         const platforms::Redactor& redactor) {
  std::string clean = redactor.Redact(text);
  if (clean.size() > kMaxBackendMessageChars) {
    clean.resize(kMaxBackendMessageChars);
    clean += "...";
  }
  return clean;
}

Readiness ReadinessFromAnswer(long http_status, absl::string_view body,
                              const platforms::Redactor& redactor) {
  Readiness readiness;
  readiness.http_status = static_cast<int>(http_status);
  BackendError error = ParseBackendError(body);
  if (http_status == 200) {
    readiness.kind = Readiness::Kind::kReady;
    readiness.type = "ready";
    readiness.message = CleanMessage(error.message, redactor);
    return readiness;
  }
  if ((http_status == 502 || http_status == 503 || http_status == 504) &&
      error.type.empty() && error.message.empty()) {
    // A proxy in front of the service (a Lepton endpoint, an ingress)
    // answers for it while no replica serves: the service itself is not
    // answering, so the caller asks the platform what became of it.
    readiness.kind = Readiness::Kind::kUnreachable;
    readiness.type = "gateway";
    readiness.message =
        absl::StrCat("a proxy in front of the service answered ",
                     Describe(http_status, error, body, redactor));
    return readiness;
  }
  readiness.type = error.type;
  if (IsHardFailure(error.type)) {
    readiness.kind = Readiness::Kind::kFailed;
  } else if (error.type == "server_initializing") {
    readiness.kind = Readiness::Kind::kInitializing;
  } else {
    // model_loading, model_not_ready, model_not_loaded, and anything we do
    // not know: the service answers, so keep waiting.
    readiness.kind = Readiness::Kind::kLoading;
  }
  readiness.message =
      error.type.empty() && error.message.empty()
          ? absl::StrCat("backend answered ",
                         Describe(http_status, error, body, redactor))
          : CleanMessage(error.message, redactor);
  return readiness;
}

absl::Status ChatErrorFromAnswer(long http_status, absl::string_view body,
                                 const platforms::Redactor& redactor) {
  BackendError error = ParseBackendError(body);
  const std::string said = absl::StrCat(
      "backend answered ", Describe(http_status, error, body, redactor));
  if (http_status == 202) {
    return WithBackendDetails(
        absl::UnavailableError(absl::StrCat(
            said,
            " (the request was not accepted; retry once the service "
            "is ready)")),
        v1::ERROR_REASON_NOT_READY, error, http_status);
  }
  if (http_status == 503) {
    if (IsHardFailure(error.type)) {
      return WithBackendDetails(
          absl::FailedPreconditionError(absl::StrCat(
              said,
              " (the service cannot serve requests; check its logs, "
              "then stop and start it again)")),
          v1::ERROR_REASON_MODEL_LOAD_FAILED, error, http_status);
    }
    return WithBackendDetails(absl::UnavailableError(absl::StrCat(
                                  said, " (retry once the service is ready)")),
                              v1::ERROR_REASON_NOT_READY, error, http_status);
  }
  if (http_status == 400) {
    return WithBackendDetails(absl::InvalidArgumentError(said),
                              v1::ERROR_REASON_BACKEND_ERROR, error,
                              http_status);
  }
  return WithBackendDetails(
      absl::InternalError(absl::StrCat(said, " (check the service logs)")),
      v1::ERROR_REASON_BACKEND_ERROR, error, http_status);
}

}  // namespace tao::backend
