#include "tests/support/http_get.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platforms/common/http/http_client.h"

namespace tao::tests {
namespace {

absl::StatusOr<HttpAnswer> Once(platforms::http::HttpRequest request) {
  platforms::http::HttpClient client;
  const std::string peer = absl::StrCat(request.method, " ", request.url);
  absl::StatusOr<platforms::http::HttpExchange> answer =
      client.Send(request, peer);
  if (!answer.ok()) return answer.status();
  return HttpAnswer{answer->status, std::move(answer->body)};
}

}  // namespace

absl::StatusOr<HttpAnswer> HttpGet(const std::string& url,
                                   absl::Duration timeout,
                                   const HeaderLines& headers) {
  platforms::http::HttpRequest request;
  request.url = url;
  request.timeout = timeout;
  request.headers = headers;
  return Once(std::move(request));
}

absl::StatusOr<HttpAnswer> HttpPost(const std::string& url,
                                    const std::string& json_body,
                                    absl::Duration timeout,
                                    const HeaderLines& headers) {
  platforms::http::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = json_body;
  request.timeout = timeout;
  request.headers = headers;
  return Once(std::move(request));
}

absl::StatusOr<HttpAnswer> HttpGetUntilOk(const std::string& url,
                                          absl::Duration patience,
                                          const HeaderLines& headers) {
  const absl::Time give_up = absl::Now() + patience;
  std::string last = "no answer";
  while (absl::Now() < give_up) {
    absl::StatusOr<HttpAnswer> answer =
        HttpGet(url, absl::Seconds(10), headers);
    if (answer.ok() && answer->status == 200) return answer;
    last = answer.ok()
               ? absl::StrCat("HTTP ", answer->status, " ", answer->body)
               : answer.status().ToString();
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("GET ", url, " never answered 200; last: ", last));
}

}  // namespace tao::tests
