#include "tests/fakes/kubernetes/service_proxy.h"

#include "absl/strings/str_cat.h"
#include "tests/fakes/kubernetes/api_routes.h"
#include "tests/fakes/kubernetes/status.h"

namespace tao::fakes::kubernetes {
namespace {

// The request's query string as it came ("" or "?a=b").
std::string QueryOf(const httplib::Request& request) {
  const size_t question = request.target.find('?');
  return question == std::string::npos ? "" : request.target.substr(question);
}

}  // namespace

void HandleServiceProxy(Cluster& cluster, const std::string& ns,
                        const std::string& name_port, const std::string& path,
                        const httplib::Request& request,
                        httplib::Response& response) {
  const size_t colon = name_port.find(':');
  const std::string name = name_port.substr(0, colon);
  const std::string port =
      colon == std::string::npos ? "" : name_port.substr(colon + 1);
  absl::StatusOr<size_t> index = cluster.ServicePortIndex(ns, name, port);
  if (absl::IsNotFound(index.status())) {
    SendAnswer(FromError(NotFound(ServiceResource(), name)), response);
    return;
  }
  if (!index.ok()) {
    SendAnswer(
        FromError(ServiceUnavailable(std::string(index.status().message()))),
        response);
    return;
  }
  std::optional<TcpBackend> backend = cluster.ServiceEndpoint(ns, name, *index);
  if (!backend.has_value()) {
    SendAnswer(FromError(ServiceUnavailable(absl::StrCat(
                   "no endpoints available for service \"", name, "\""))),
               response);
    return;
  }
  httplib::Client pod(backend->host, backend->port);
  pod.set_read_timeout(600, 0);
  httplib::Headers headers;
  for (const char* header : {"Accept", "Content-Type"}) {
    if (request.has_header(header)) {
      headers.emplace(header, request.get_header_value(header));
    }
  }
  httplib::Request relayed;
  relayed.method = request.method;
  relayed.path = (path.empty() ? "/" : path) + QueryOf(request);
  relayed.headers = headers;
  relayed.body = request.body;
  httplib::Result answer = pod.send(relayed);
  if (!answer) {
    // The apiserver's proxy answers 503 when the pod cannot be dialled.
    SendAnswer(FromError(ServiceUnavailable(
                   absl::StrCat("error trying to reach service: ",
                                httplib::to_string(answer.error())))),
               response);
    return;
  }
  response.status = answer->status;
  response.set_content(answer->body,
                       answer->get_header_value("Content-Type").c_str());
}

}  // namespace tao::fakes::kubernetes
