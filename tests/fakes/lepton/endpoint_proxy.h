// A deployment's external endpoint: an HTTP listener of its own on
// 127.0.0.1 that lets a request through only with `Authorization: Bearer
// <t>` for one of the deployment's api tokens (401 text/plain "Not
// Authorized" otherwise, as [C]'s ALB: go-pkg/k8s/ingress/annotation.go)
// and proxies it to the running container, so the container's own
// readiness and inference routes answer for real. An empty token list
// means a public endpoint ([S] deployment.py make_token_vars_from_config).
//
// Not modelled: streaming (answers are buffered whole), WebSockets.
#ifndef TAO_TESTS_FAKES_LEPTON_ENDPOINT_PROXY_H_
#define TAO_TESTS_FAKES_LEPTON_ENDPOINT_PROXY_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/fakes/common/http_server_thread.h"
#include "tests/fakes/common/tcp_forwarder.h"

namespace tao::fakes::lepton {

class EndpointProxy {
 public:
  using TokensFn = std::function<std::vector<std::string>()>;
  // nullopt: no ready replica (503).
  using BackendFn = std::function<std::optional<TcpBackend>()>;

  // Listens on `host`:any port. Errors: UNAVAILABLE when it cannot.
  static absl::StatusOr<std::unique_ptr<EndpointProxy>> Listen(
      const std::string& host, TokensFn tokens, BackendFn backend);
  // Stops listening (waits for requests in flight).
  ~EndpointProxy();

  // "http://127.0.0.1:PORT".
  std::string url() const;

 private:
  EndpointProxy(TokensFn tokens, BackendFn backend);
  void Handle(const httplib::Request& request, httplib::Response& response);

  const TokensFn tokens_;
  const BackendFn backend_;
  HttpServerThread http_;
  std::string host_;
};

}  // namespace tao::fakes::lepton

#endif  // TAO_TESTS_FAKES_LEPTON_ENDPOINT_PROXY_H_
