// Plain HTTP calls that tests make themselves (to a service through its
// published port or tunnel, to the reference backend's control routes),
// over the project's HTTP client.
#ifndef TAO_TESTS_SUPPORT_HTTP_GET_H_
#define TAO_TESTS_SUPPORT_HTTP_GET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tao::tests {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// Header lines ("Name: value") sent with a request, such as a workload's
// Platform::EndpointHeaders.
using HeaderLines = std::vector<std::string>;

// GET `url` once (a fresh connection: none outlives a port under test).
// Errors: as http::TransportStatus when no HTTP answer came.
absl::StatusOr<HttpAnswer> HttpGet(const std::string& url,
                                   absl::Duration timeout = absl::Seconds(10),
                                   const HeaderLines& headers = {});

// POST `json_body` to `url` once. Errors as HttpGet.
absl::StatusOr<HttpAnswer> HttpPost(const std::string& url,
                                    const std::string& json_body,
                                    absl::Duration timeout = absl::Seconds(30),
                                    const HeaderLines& headers = {});

// GETs `url` until it answers 200 (polling every 100 ms). Errors:
// DEADLINE_EXCEEDED after `patience`, with the last answer or failure.
absl::StatusOr<HttpAnswer> HttpGetUntilOk(const std::string& url,
                                          absl::Duration patience,
                                          const HeaderLines& headers = {});

}  // namespace tao::tests

#endif  // TAO_TESTS_SUPPORT_HTTP_GET_H_
