#include "tests/fakes/lepton/endpoint_proxy.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "tests/fakes/lepton/api_errors.h"

namespace tao::fakes::lepton {
namespace {

// Headers a proxy does not pass on (hop by hop, or recomputed).
bool PassesThrough(const std::string& name) {
  static const auto* dropped = new std::set<std::string>{"host",
                                                         "content-length",
                                                         "connection",
                                                         "keep-alive",
                                                         "upgrade",
                                                         "te",
                                                         "transfer-encoding",
                                                         "accept-encoding",
                                                         "trailer",
                                                         "proxy-connection",
                                                         "content-encoding"};
  return dropped->count(absl::AsciiStrToLower(name)) == 0;
}

}  // namespace

EndpointProxy::EndpointProxy(TokensFn tokens, BackendFn backend)
    : tokens_(std::move(tokens)), backend_(std::move(backend)) {}

absl::StatusOr<std::unique_ptr<EndpointProxy>> EndpointProxy::Listen(
    const std::string& host, TokensFn tokens, BackendFn backend) {
  std::unique_ptr<EndpointProxy> self(
      new EndpointProxy(std::move(tokens), std::move(backend)));
  auto server = std::make_unique<httplib::Server>();
  server->set_payload_max_length(512 << 20);
  server->set_read_timeout(600, 0);
  server->set_write_timeout(600, 0);
  EndpointProxy* raw = self.get();
  self->host_ = host;
  absl::Status started = self->http_.Start(
      std::move(server), host, 0,
      [raw](const httplib::Request& request, httplib::Response& response) {
        raw->Handle(request, response);
      });
  if (!started.ok()) {
    return absl::UnavailableError(
        absl::StrCat("cannot open an endpoint listener on ", host));
  }
  return self;
}

EndpointProxy::~EndpointProxy() { http_.Stop(); }

std::string EndpointProxy::url() const {
  return absl::StrCat("http://", host_, ":", http_.port());
}

void EndpointProxy::Handle(const httplib::Request& request,
                           httplib::Response& response) {
  // httplib would gzip answers for clients that accept it; an ingress
  // passes the upstream's encoding on, and the upstream is asked for none.
  // (The Request is a mutable local of httplib's loop, handed out const.)
  const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
  const std::vector<std::string> tokens = tokens_();
  if (!tokens.empty()) {
    const std::string given = request.get_header_value("Authorization");
    bool allowed = false;
    for (const std::string& token : tokens) {
      if (given == "Bearer " + token) allowed = true;
    }
    if (!allowed) {
      SendNotAuthorized(response);
      return;
    }
  }
  std::optional<TcpBackend> backend = backend_();
  if (!backend.has_value()) {
    // What an ingress answers with no ready upstream; Lepton's exact
    // answer is not verified.
    response.status = 503;
    response.set_content("no healthy upstream", "text/plain");
    return;
  }
  httplib::Client client(backend->host, backend->port);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(600, 0);
  client.set_write_timeout(600, 0);
  client.set_decompress(false);
  httplib::Request forward;
  forward.method = request.method;
  forward.path = request.target;  // path and query as the client sent them
  for (const auto& [name, value] : request.headers) {
    if (PassesThrough(name)) forward.headers.emplace(name, value);
  }
  forward.body = request.body;
  if (!request.body.empty() && !request.has_header("Content-Type")) {
    forward.headers.emplace("Content-Type", "application/octet-stream");
  }
  httplib::Result answer = client.send(forward);
  if (!answer) {
    response.status = 502;
    response.set_content(absl::StrCat("upstream connect error: ",
                                      httplib::to_string(answer.error())),
                         "text/plain");
    return;
  }
  response.status = answer->status;
  std::string content_type = "text/plain";
  for (const auto& [name, value] : answer->headers) {
    if (absl::AsciiStrToLower(name) == "content-type") {
      content_type = value;
    } else if (PassesThrough(name)) {
      response.headers.emplace(name, value);
    }
  }
  response.set_content(answer->body, content_type);
}

}  // namespace tao::fakes::lepton
