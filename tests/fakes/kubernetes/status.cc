#include "tests/fakes/kubernetes/status.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

json Failure(int code, const std::string& reason, const std::string& message,
             json details) {
  json body = {{"kind", "Status"},           {"apiVersion", "v1"},
               {"metadata", json::object()}, {"status", "Failure"},
               {"message", message},         {"reason", reason}};
  if (!details.is_null()) body["details"] = std::move(details);
  body["code"] = code;
  return body;
}

// details of NotFound/AlreadyExists/Forbidden: "kind" holds the resource
// (plural) and "group" is "" for core (errors.go NewNotFound).
json ResourceDetails(const ResourceInfo& info, const std::string& name) {
  json details = json::object();
  if (!name.empty()) details["name"] = name;
  details["group"] = info.group;
  details["kind"] = info.resource;
  return details;
}

// Go's %q of a string value, or the JSON of any other value (field.Error
// formats non-strings with %#v; JSON is close enough for ints and bools).
std::string Quote(const json& value) {
  if (value.is_string()) return json(value.get<std::string>()).dump();
  return value.dump();
}

}  // namespace

std::string FieldError::CauseMessage() const {
  if (reason == "FieldValueRequired") {
    return detail.empty() ? "Required value"
                          : absl::StrCat("Required value: ", detail);
  }
  if (reason == "FieldValueNotSupported") {
    std::vector<std::string> quoted;
    for (const std::string& s : supported) quoted.push_back(json(s).dump());
    return absl::StrCat("Unsupported value: ", Quote(value),
                        ": supported values: ", absl::StrJoin(quoted, ", "));
  }
  if (reason == "FieldValueTooLong") {
    return absl::StrCat("Too long: ", detail);
  }
  return absl::StrCat("Invalid value: ", Quote(value),
                      detail.empty() ? "" : ": ", detail);
}

std::string FieldError::Message() const {
  return absl::StrCat(field, ": ", CauseMessage());
}

FieldError Invalid(std::string field, json value, std::string detail) {
  return {"FieldValueInvalid",
          std::move(field),
          std::move(detail),
          std::move(value),
          {}};
}

FieldError Required(std::string field, std::string detail) {
  return {
      "FieldValueRequired", std::move(field), std::move(detail), nullptr, {}};
}

FieldError NotSupported(std::string field, json value,
                        std::vector<std::string> supported) {
  return {"FieldValueNotSupported", std::move(field), "", std::move(value),
          std::move(supported)};
}

FieldError TooLong(std::string field, json value, int max) {
  // Unverified wording: field.TooLong's text changed across releases
  // ("must have at most N bytes" in 1.30+).
  return {"FieldValueTooLong",
          std::move(field),
          absl::StrCat("must have at most ", max, " bytes"),
          std::move(value),
          {}};
}

ApiError NotFound(const ResourceInfo& info, const std::string& name) {
  return {404,
          Failure(404, "NotFound",
                  absl::StrCat(info.QualifiedResource(), " \"", name,
                               "\" not found"),
                  ResourceDetails(info, name)),
          {}};
}

ApiError AlreadyExists(const ResourceInfo& info, const std::string& name) {
  return {409,
          Failure(409, "AlreadyExists",
                  absl::StrCat(info.QualifiedResource(), " \"", name,
                               "\" already exists"),
                  ResourceDetails(info, name)),
          {}};
}

ApiError Conflict(const ResourceInfo& info, const std::string& name,
                  const std::string& why) {
  return {
      409,
      Failure(409, "Conflict",
              absl::StrCat("Operation cannot be fulfilled on ",
                           info.QualifiedResource(), " \"", name, "\": ", why),
              ResourceDetails(info, name)),
      {}};
}

ApiError InvalidObject(const ResourceInfo& info, const std::string& name,
                       const std::vector<FieldError>& errors) {
  // errors.NewInvalid: details.kind is the Kind (not the resource), one
  // cause per field error, and the message joins them "[a, b]" when there
  // are several (ToAggregate).
  json causes = json::array();
  std::vector<std::string> messages;
  for (const FieldError& error : errors) {
    causes.push_back({{"reason", error.reason},
                      {"message", error.CauseMessage()},
                      {"field", error.field}});
    messages.push_back(error.Message());
  }
  std::string joined =
      messages.size() == 1
          ? messages[0]
          : absl::StrCat("[", absl::StrJoin(messages, ", "), "]");
  json details = {{"name", name},
                  {"group", info.group},
                  {"kind", info.kind},
                  {"causes", causes}};
  return {422,
          Failure(422, "Invalid",
                  absl::StrCat(info.QualifiedKind(), " \"", name,
                               "\" is invalid: ", joined),
                  details),
          {}};
}

ApiError BadRequest(const std::string& message) {
  return {400, Failure(400, "BadRequest", message, nullptr), {}};
}

ApiError Unauthorized() {
  return {401, Failure(401, "Unauthorized", "Unauthorized", nullptr), {}};
}

ApiError Forbidden(const ResourceInfo& info, const std::string& name,
                   const std::string& verb, const std::string& user,
                   const std::string& ns) {
  // Unverified: the reference marks the 403 wording as general knowledge
  // (section 4), not seen against a real server.
  std::string subject = info.QualifiedResource();
  if (!name.empty()) absl::StrAppend(&subject, " \"", name, "\"");
  std::string message = absl::StrCat(
      subject, " is forbidden: User \"", user, "\" cannot ", verb,
      " resource \"", info.resource, "\" in API group \"", info.group, "\"");
  if (!ns.empty()) absl::StrAppend(&message, " in the namespace \"", ns, "\"");
  return {
      403, Failure(403, "Forbidden", message, ResourceDetails(info, name)), {}};
}

ApiError MethodNotAllowed() {
  return {405,
          Failure(405, "MethodNotAllowed",
                  "the server does not allow this method on the requested "
                  "resource",
                  nullptr),
          {}};
}

ApiError UnsupportedMediaType(const std::string& content_type) {
  return {415,
          Failure(415, "UnsupportedMediaType",
                  absl::StrCat("the body of the request was in an unknown "
                               "format - accepted media types include: "
                               "application/json, application/yaml; got ",
                               content_type),
                  nullptr),
          {}};
}

ApiError TooManyRequests(int retry_after_seconds) {
  // The max-in-flight filter's text; unverified here (general knowledge).
  return {429,
          Failure(429, "TooManyRequests",
                  "Too many requests, please try again later.",
                  {{"retryAfterSeconds", retry_after_seconds}}),
          {{"Retry-After", std::to_string(retry_after_seconds)}}};
}

ApiError InternalError(const std::string& message) {
  return {500,
          Failure(500, "InternalError",
                  absl::StrCat("Internal error occurred: ", message),
                  {{"causes", json::array({{{"message", message}}})}}),
          {}};
}

ApiError Timeout(const std::string& message) {
  return {
      504, Failure(504, "Timeout", message, {{"retryAfterSeconds", 1}}), {}};
}

ApiError ServiceUnavailable(const std::string& message) {
  return {503, Failure(503, "ServiceUnavailable", message, nullptr), {}};
}

json DeleteSuccess(const ResourceInfo& info, const std::string& name,
                   const std::string& uid) {
  return {{"kind", "Status"},
          {"apiVersion", "v1"},
          {"metadata", json::object()},
          {"status", "Success"},
          {"details",
           {{"name", name},
            {"group", info.group},
            {"kind", info.resource},
            {"uid", uid}}}};
}

}  // namespace tao::fakes::kubernetes
