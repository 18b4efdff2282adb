#include "tests/integration/http_probe.h"

#include <curl/curl.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace tao::integration {
namespace {

size_t Append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

absl::StatusOr<nlohmann::json> Call(const std::string& url,
                                    const std::string* post_body) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                           curl_easy_cleanup);
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_slist* headers = nullptr;
  if (post_body != nullptr) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, post_body->c_str());
  }
  CURLcode code = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat(url, ": ", curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return absl::InternalError(
        absl::StrCat(url, " answered HTTP ", status, ": ", body));
  }
  if (body.empty()) return nlohmann::json();
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) {
    return absl::InternalError(absl::StrCat(url, " answered non-JSON: ", body));
  }
  return parsed;
}

}  // namespace

absl::StatusOr<nlohmann::json> GetJson(const std::string& url) {
  return Call(url, nullptr);
}

absl::StatusOr<nlohmann::json> PostJson(const std::string& url,
                                        const nlohmann::json& body) {
  std::string text = body.dump();
  return Call(url, &text);
}

}  // namespace tao::integration
