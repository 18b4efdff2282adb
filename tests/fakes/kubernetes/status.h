// metav1.Status bodies, built as the apiserver's builders build them
// (staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go). Every body
// carries "apiVersion":"v1": without it kubectl prints a generic message
// instead of Status.message (reference section 2, seen).
#ifndef TAO_TESTS_FAKES_KUBERNETES_STATUS_H_
#define TAO_TESTS_FAKES_KUBERNETES_STATUS_H_

#include <map>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/fakes/kubernetes/resources.h"

namespace tao::fakes::kubernetes {

// One field error of a 422 (field.Error in apimachinery's validation/field).
struct FieldError {
  std::string reason;    // FieldValueInvalid, FieldValueRequired, ...
  std::string field;     // "metadata.name"
  std::string detail;    // the message after the reason's prefix
  nlohmann::json value;  // the bad value (Invalid, NotSupported, ...)
  std::vector<std::string> supported;  // NotSupported only

  // "Invalid value: \"Bad_Name\": a lowercase ..." (the cause message).
  std::string CauseMessage() const;
  // "metadata.name: Invalid value: ..." (one entry of the 422 message).
  std::string Message() const;
};
FieldError Invalid(std::string field, nlohmann::json value, std::string detail);
FieldError Required(std::string field, std::string detail);
FieldError NotSupported(std::string field, nlohmann::json value,
                        std::vector<std::string> supported);
FieldError TooLong(std::string field, nlohmann::json value, int max);

// An HTTP error answer: status code, a Status body and extra headers.
struct ApiError {
  int code = 500;
  nlohmann::json body;
  std::map<std::string, std::string> headers;
};

ApiError NotFound(const ResourceInfo& info, const std::string& name);
ApiError AlreadyExists(const ResourceInfo& info, const std::string& name);
// 409 Conflict ("Operation cannot be fulfilled on ...").
ApiError Conflict(const ResourceInfo& info, const std::string& name,
                  const std::string& why);
ApiError InvalidObject(const ResourceInfo& info, const std::string& name,
                       const std::vector<FieldError>& errors);
ApiError BadRequest(const std::string& message);
ApiError Unauthorized();
// verb "get", "create", ...; name may be empty (create, list).
ApiError Forbidden(const ResourceInfo& info, const std::string& name,
                   const std::string& verb, const std::string& user,
                   const std::string& ns);
ApiError MethodNotAllowed();
ApiError UnsupportedMediaType(const std::string& content_type);
ApiError TooManyRequests(int retry_after_seconds);
ApiError InternalError(const std::string& message);
ApiError Timeout(const std::string& message);
// 503 ServiceUnavailable (errors.NewServiceUnavailable), e.g. a Service
// proxy with no ready endpoint.
ApiError ServiceUnavailable(const std::string& message);

// The Success Status a DELETE returns for stores without
// ReturnDeletedObject (finalizeDelete in
// staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go).
nlohmann::json DeleteSuccess(const ResourceInfo& info, const std::string& name,
                             const std::string& uid);

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_STATUS_H_
