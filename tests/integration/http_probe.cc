#include "tests/integration/http_probe.h"

#include "absl/strings/str_cat.h"
#include "tests/support/http_get.h"

namespace tao::integration {
namespace {

absl::StatusOr<nlohmann::json> Parse(const std::string& url,
                                     absl::StatusOr<tests::HttpAnswer> answer) {
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) {
    return absl::InternalError(absl::StrCat(
        url, " answered HTTP ", answer->status, ": ", answer->body));
  }
  if (answer->body.empty()) return nlohmann::json();
  nlohmann::json parsed = nlohmann::json::parse(answer->body, nullptr, false);
  if (parsed.is_discarded()) {
    return absl::InternalError(
        absl::StrCat(url, " answered non-JSON: ", answer->body));
  }
  return parsed;
}

}  // namespace

absl::StatusOr<nlohmann::json> GetJson(const std::string& url) {
  return Parse(url, tests::HttpGet(url, absl::Seconds(30)));
}

absl::StatusOr<nlohmann::json> PostJson(const std::string& url,
                                        const nlohmann::json& body) {
  return Parse(url, tests::HttpPost(url, body.dump()));
}

}  // namespace tao::integration
