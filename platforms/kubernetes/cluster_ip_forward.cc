#include "platforms/kubernetes/cluster_ip_forward.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "httplib.h"

namespace tao::platforms::kubernetes {

absl::StatusOr<std::unique_ptr<ClusterIpForward>> ClusterIpForward::Open(
    KubeApi* api, const std::string& ns, const std::string& name,
    int service_port, int local_port, absl::Duration request_timeout) {
  std::unique_ptr<ClusterIpForward> forward(new ClusterIpForward());
  forward->server_ = std::make_unique<httplib::Server>();
  const std::string proxy =
      absl::StrCat("/api/v1/namespaces/", ns, "/services/", name, ":",
                   service_port, "/proxy");
  auto relay = [api, proxy, request_timeout](const httplib::Request& in,
                                             httplib::Response& out) {
    http::HttpRequest request;
    request.method = in.method;
    request.url = proxy + in.path;
    for (const auto& [key, value] : in.params)
      request.query.emplace_back(key, value);
    if (in.has_header("Accept")) {
      request.headers.push_back("Accept: " + in.get_header_value("Accept"));
    }
    request.body = in.body;
    request.content_type = in.get_header_value("Content-Type");
    request.timeout = request_timeout;
    absl::StatusOr<http::HttpExchange> answer = api->Relay(std::move(request));
    if (!answer.ok() || !answer->answered()) {
      // As a proxy that cannot reach its upstream answers.
      out.status = 502;
      out.set_content(
          answer.ok() ? answer->cause : std::string(answer.status().message()),
          "text/plain");
      return;
    }
    out.status = static_cast<int>(answer->status);
    out.set_content(answer->body, answer->content_type.c_str());
  };
  for (auto add :
       {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put,
        &httplib::Server::Delete, &httplib::Server::Patch}) {
    (forward->server_.get()->*add)(".*", relay);
  }
  // Media bodies of hundreds of MiB go through.
  forward->server_->set_payload_max_length(size_t{1} << 31);
  if (!forward->server_->bind_to_port("127.0.0.1", local_port)) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on 127.0.0.1:", local_port,
                     " for the port-forward to ClusterIP Service ", name,
                     " in namespace ", ns, " (is the port taken?)"));
  }
  forward->local_port_ = local_port;
  httplib::Server* server = forward->server_.get();
  forward->thread_ = std::thread([server] { server->listen_after_bind(); });
  while (!server->is_running()) absl::SleepFor(absl::Milliseconds(1));
  return forward;
}

ClusterIpForward::~ClusterIpForward() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string ClusterIpForward::url() const {
  return absl::StrCat("http://127.0.0.1:", local_port_);
}

}  // namespace tao::platforms::kubernetes
