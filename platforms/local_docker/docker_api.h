// A small Docker Engine API client over the shared HTTP client (unix socket
// or TCP).
//
// It speaks HTTP only; what the calls mean lives in the driver. Every
// request carries the API version prefix negotiated once with the engine
// (GET /version), so that one client works with Debian's 20.10 engine
// (API 1.41) as well as newer engines that dropped old versions.
//
// Thread safety: all methods may be called concurrently.
#ifndef TAO_PLATFORMS_LOCAL_DOCKER_DOCKER_API_H_
#define TAO_PLATFORMS_LOCAL_DOCKER_DOCKER_API_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platforms/common/http/http_client.h"
#include "platforms/local_docker/docker_endpoint.h"

namespace tao::platforms::local_docker {

struct DockerRequest {
  std::string method = "GET";
  // Path below the version prefix, already escaped where it holds names
  // (see EscapePath), e.g. "/containers/<id>/json".
  std::string path;
  // Query parameters; values are URL-escaped by the client.
  std::vector<std::pair<std::string, std::string>> query;
  // JSON body (sent with Content-Type: application/json when non-empty).
  std::string body;
  // Extra headers, "Name: value". May hold credentials: never logged.
  std::vector<std::string> headers;
  // Gives up with DEADLINE_EXCEEDED after this long.
  absl::Duration timeout = absl::Seconds(60);
  // Polled while waiting; true gives up with CANCELLED. May be null.
  std::function<bool()> cancelled;
};

struct DockerResponse {
  long status = 0;
  std::string body;
  std::string content_type;
};

class DockerApi {
 public:
  explicit DockerApi(DockerEndpoint endpoint);

  // Sends `request` and returns the engine's answer, whatever its HTTP
  // status. Errors as http::TransportStatus (UNAVAILABLE naming the
  // endpoint when the engine cannot be reached, DEADLINE_EXCEEDED when it
  // did not answer in time).
  absl::StatusOr<DockerResponse> Call(const DockerRequest& request);

  // Like Call, but hands each line of the body to `on_line` as it arrives
  // (streamed answers such as image pull progress). The returned body is
  // empty for a 2xx answer (the lines were streamed) and holds the error
  // text otherwise.
  absl::StatusOr<DockerResponse> Stream(
      const DockerRequest& request,
      const std::function<void(absl::string_view line)>& on_line);

  const DockerEndpoint& endpoint() const { return endpoint_; }

  // The API version in use ("1.41"), negotiated on first use. Errors as
  // for Call.
  absl::StatusOr<std::string> ApiVersion();

 private:
  absl::StatusOr<DockerResponse> Perform(
      const DockerRequest& request, const std::string& version_prefix,
      const std::function<void(absl::string_view line)>* on_line);

  const DockerEndpoint endpoint_;
  http::HttpClient http_;
  absl::Mutex mu_;
  std::optional<std::string> api_version_ ABSL_GUARDED_BY(mu_);
};

// Percent-escapes a name for use inside a path ("nvcr.io/x/y:tag" keeps its
// '/' and ':', which the engine's router expects as they are).
std::string EscapePath(absl::string_view name);

// The "message" of an engine error body ({"message":"..."}), else the body
// itself (trimmed), else "HTTP <status>".
std::string ErrorMessage(const DockerResponse& response);

// The API version a client of this code uses with an engine that supports
// [min_version, max_version]: the version this driver was written and tested
// for (1.41) when the engine supports it, else the nearest one it does.
// Versions are "MAJOR.MINOR"; unparsable input yields the preferred one.
std::string ChooseApiVersion(absl::string_view min_version,
                             absl::string_view max_version);

}  // namespace tao::platforms::local_docker

#endif  // TAO_PLATFORMS_LOCAL_DOCKER_DOCKER_API_H_
