#include "tests/integration/docker/engine_probe.h"

#include <curl/curl.h>

#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tao::integration::docker {
namespace {

size_t Append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string UrlEscape(const std::string& text) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                           curl_easy_cleanup);
  char* escaped =
      curl_easy_escape(curl.get(), text.c_str(), static_cast<int>(text.size()));
  std::string result = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return result;
}

}  // namespace

EngineProbe::EngineProbe(std::string docker_host) {
  if (absl::StartsWith(docker_host, "unix://")) {
    socket_path_ = docker_host.substr(7);
    base_url_ = "http://localhost";
  } else if (absl::StartsWith(docker_host, "tcp://")) {
    base_url_ = absl::StrCat("http://", docker_host.substr(6));
  } else {
    base_url_ = std::move(docker_host);
  }
}

absl::StatusOr<EngineAnswer> EngineProbe::Call(
    const std::string& method, const std::string& path_and_query) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(),
                                                           curl_easy_cleanup);
  const std::string url = base_url_ + path_and_query;
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  if (!socket_path_.empty()) {
    curl_easy_setopt(curl.get(), CURLOPT_UNIX_SOCKET_PATH,
                     socket_path_.c_str());
  }
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROXY, "");
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat(method, " ", path_and_query, " on the Docker engine at ",
                     socket_path_.empty() ? base_url_ : socket_path_, ": ",
                     curl_easy_strerror(code)));
  }
  EngineAnswer answer;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &answer.status);
  answer.body =
      nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (answer.body.is_discarded()) answer.body = nullptr;
  return answer;
}

absl::StatusOr<nlohmann::json> EngineProbe::InspectContainer(
    const std::string& name) const {
  absl::StatusOr<EngineAnswer> answer =
      Call("GET", absl::StrCat("/containers/", UrlEscape(name), "/json"));
  if (!answer.ok()) return answer.status();
  if (answer->status == 404) {
    return absl::NotFoundError(absl::StrCat("no container named ", name));
  }
  if (answer->status != 200) {
    return absl::InternalError(absl::StrCat("inspecting container ", name,
                                            ": HTTP ", answer->status, " ",
                                            answer->body.dump()));
  }
  return answer->body;
}

absl::StatusOr<nlohmann::json> EngineProbe::ListContainersLabelled(
    const std::string& label) const {
  const nlohmann::json filters = {{"label", {label}}};
  absl::StatusOr<EngineAnswer> listed =
      Call("GET", absl::StrCat("/containers/json?all=true&filters=",
                               UrlEscape(filters.dump())));
  if (!listed.ok()) return listed.status();
  if (listed->status != 200 || !listed->body.is_array()) {
    return absl::InternalError(absl::StrCat(
        "listing containers: HTTP ", listed->status, " ", listed->body.dump()));
  }
  return listed->body;
}

int EngineProbe::RemoveContainersLabelled(const std::string& label) const {
  absl::StatusOr<nlohmann::json> containers = ListContainersLabelled(label);
  if (!containers.ok()) return 0;
  int removed = 0;
  for (const nlohmann::json& container : *containers) {
    const std::string id = container.value("Id", "");
    if (id.empty()) continue;
    absl::StatusOr<EngineAnswer> gone =
        Call("DELETE", absl::StrCat("/containers/", id, "?force=true&v=true"));
    if (gone.ok() && gone->status == 204) ++removed;
  }
  return removed;
}

void EngineProbe::RemoveNetwork(const std::string& name) const {
  (void)Call("DELETE", absl::StrCat("/networks/", UrlEscape(name)));
}

}  // namespace tao::integration::docker
