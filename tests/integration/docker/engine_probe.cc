#include "tests/integration/docker/engine_probe.h"

#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tao::integration::docker {

EngineProbe::EngineProbe(std::string docker_host) {
  platforms::http::ConnectionOptions connection;
  if (absl::StartsWith(docker_host, "unix://")) {
    connection.unix_socket = docker_host.substr(7);
    base_url_ = "http://localhost";
  } else if (absl::StartsWith(docker_host, "tcp://")) {
    base_url_ = absl::StrCat("http://", docker_host.substr(6));
  } else {
    base_url_ = docker_host;
  }
  description_ = std::move(docker_host);
  http_ = std::make_unique<platforms::http::HttpClient>(connection);
}

EngineProbe::~EngineProbe() = default;

absl::StatusOr<EngineAnswer> EngineProbe::Call(
    const std::string& method, const std::string& path,
    std::vector<std::pair<std::string, std::string>> query) const {
  platforms::http::HttpRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.query = std::move(query);
  absl::StatusOr<platforms::http::HttpExchange> answer =
      http_->Send(request, absl::StrCat("the Docker engine at ", description_,
                                        " (", method, " ", path, ")"));
  if (!answer.ok()) return answer.status();
  EngineAnswer result;
  result.status = answer->status;
  result.body =
      nlohmann::json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  if (result.body.is_discarded()) result.body = nullptr;
  return result;
}

absl::StatusOr<nlohmann::json> EngineProbe::InspectContainer(
    const std::string& name) const {
  absl::StatusOr<EngineAnswer> answer =
      Call("GET", absl::StrCat("/containers/", name, "/json"));
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
      Call("GET", "/containers/json",
           {{"all", "true"}, {"filters", filters.dump()}});
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
        Call("DELETE", absl::StrCat("/containers/", id),
             {{"force", "true"}, {"v", "true"}});
    if (gone.ok() && gone->status == 204) ++removed;
  }
  return removed;
}

void EngineProbe::RemoveNetwork(const std::string& name) const {
  (void)Call("DELETE", absl::StrCat("/networks/", name));
}

}  // namespace tao::integration::docker
