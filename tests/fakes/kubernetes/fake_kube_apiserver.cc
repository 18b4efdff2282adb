#include "tests/fakes/kubernetes/fake_kube_apiserver.h"

#include <openssl/ssl.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "httplib.h"
#include "tests/fakes/kubernetes/api_routes.h"
#include "tests/fakes/kubernetes/control_routes.h"
#include "tests/fakes/kubernetes/scripted_pod_runner.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

// What an injected 403/409 talks about: the resource, name and namespace
// of the path, and the verb of the method.
struct Target {
  const ResourceInfo* info = &JobResource();
  std::string ns, name, verb;
};

Target ParseTarget(const httplib::Request& request) {
  Target target;
  std::vector<std::string> parts =
      absl::StrSplit(request.path, '/', absl::SkipEmpty());
  size_t i = parts.size() > 0 && parts[0] == "api" ? 2 : 3;
  std::string group = parts.size() > 1 && parts[0] == "apis" ? parts[1] : "";
  if (i + 1 < parts.size() && parts[i] == "namespaces") {
    target.ns = parts[i + 1];
    i += 2;
  }
  if (i < parts.size()) {
    const ResourceInfo* info = FindResource(group, "v1", parts[i]);
    if (info != nullptr) target.info = info;
    if (i + 1 < parts.size()) target.name = parts[i + 1];
  }
  const std::string& m = request.method;
  if (m == "POST") {
    target.verb = "create";
    json body = json::parse(request.body, nullptr, false);
    if (body.is_object() && body.contains("metadata")) {
      target.name = body["metadata"].value("name", "");
    }
  } else if (m == "DELETE") {
    target.verb = "delete";
  } else if (m == "GET") {
    std::string watch = request.get_param_value("watch");
    bool watching = watch == "true" || watch == "True" || watch == "1";
    target.verb = !target.name.empty() ? "get" : watching ? "watch" : "list";
  } else {
    target.verb = absl::AsciiStrToLower(m);
  }
  return target;
}

ApiError FaultError(const Fault& fault, const httplib::Request& request) {
  Target target = ParseTarget(request);
  switch (fault.status) {
    case 401:
      return Unauthorized();
    case 403:
      return Forbidden(*target.info, target.verb == "create" ? "" : target.name,
                       target.verb, "system:serviceaccount:default:default",
                       target.ns);
    case 409:
      if (target.verb == "create") {
        return AlreadyExists(*target.info, target.name);
      }
      return Conflict(*target.info, target.name,
                      "the object has been modified; please apply your "
                      "changes to the latest version and try again");
    case 429:
      return TooManyRequests(1);
    case 504:
      return Timeout(fault.message);
    default:
      return InternalError(fault.message);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<FakeKubeApiServer>> FakeKubeApiServer::Start(
    Options options) {
  std::unique_ptr<FakeKubeApiServer> self(new FakeKubeApiServer());
  self->runner_ = std::move(options.runner);
  if (self->runner_ == nullptr) {
    self->runner_ = std::make_unique<ScriptedPodRunner>();
  }
  self->options_ = std::move(options);
  const Options& o = self->options_;
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "give both --tls-cert and --tls-key (or neither, for plain HTTP)");
  }
  if (!o.client_ca.empty() && o.tls_cert.empty()) {
    return absl::InvalidArgumentError(
        "--client-ca needs HTTPS: give --tls-cert and --tls-key too");
  }
  absl::StatusOr<Authenticator> auth =
      Authenticator::Create(o.token_file, !o.client_ca.empty());
  if (!auth.ok()) return auth.status();
  {
    absl::MutexLock lock(&self->auth_mu_);
    self->auth_ = std::make_shared<const Authenticator>(*std::move(auth));
  }

  Cluster::Options cluster_options;
  cluster_options.namespaces = o.namespaces;
  cluster_options.runner = self->runner_.get();
  cluster_options.node_port_min = o.node_port_min;
  cluster_options.node_port_max = o.node_port_max;
  if (o.node_port_min < 1 || o.node_port_max > 65535 ||
      o.node_port_min > o.node_port_max) {
    return absl::InvalidArgumentError(
        "--service-node-port-range wants MIN-MAX within 1-65535");
  }
  if (o.service_network) {
    FakeKubeApiServer* raw = self.get();
    self->network_ = std::make_unique<ServiceNetwork>(
        [raw](const std::string& ns, const std::string& name, size_t port) {
          return raw->cluster_->ServiceEndpoint(ns, name, port);
        });
    cluster_options.network = self->network_.get();
  }
  self->cluster_ = std::make_unique<Cluster>(cluster_options);

  std::unique_ptr<httplib::Server> server;
  if (!o.tls_cert.empty()) {
    auto ssl_server = std::make_unique<httplib::SSLServer>(
        o.tls_cert.c_str(), o.tls_key.c_str(),
        o.client_ca.empty() ? nullptr : o.client_ca.c_str());
    if (!ssl_server->is_valid()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cannot load the TLS files (cert ", o.tls_cert, ", key ", o.tls_key,
          o.client_ca.empty() ? "" : ", client CA " + o.client_ca,
          "); check that they exist and are PEM"));
    }
    if (!o.client_ca.empty()) {
      // httplib also sets FAIL_IF_NO_PEER_CERT; a real apiserver only asks
      // for a certificate, so token clients still get through.
      SSL_CTX_set_verify(ssl_server->ssl_context(), SSL_VERIFY_PEER, nullptr);
      // Without a session id context OpenSSL refuses to resume a session
      // when peers are verified (an "internal error" alert to clients that
      // reuse sessions, as libcurl does).
      static const unsigned char kSessionContext[] = "fake-kube-apiserver";
      SSL_CTX_set_session_id_context(ssl_server->ssl_context(), kSessionContext,
                                     sizeof(kSessionContext) - 1);
    }
    server = std::move(ssl_server);
    self->tls_ = true;
  } else {
    server = std::make_unique<httplib::Server>();
  }
  FakeKubeApiServer* raw = self.get();
  // Watches hold a thread for seconds and kubectl opens several
  // connections: more threads than httplib's default 8.
  absl::Status started = StartApiListener(
      &self->http_, std::move(server), o.host, o.port, /*threads=*/32,
      [raw](const httplib::Request& request, httplib::Response& response) {
        raw->Handle(request, response);
      });
  if (!started.ok()) return started;
  return self;
}

FakeKubeApiServer::~FakeKubeApiServer() {
  if (cluster_) cluster_->Shutdown();  // ends open watches
  http_.Stop();
  network_.reset();  // its connections look endpoints up in the cluster
  cluster_.reset();  // stops the garbage collector before the runner goes
}

absl::Status FakeKubeApiServer::ReloadTokens() {
  absl::StatusOr<Authenticator> auth =
      Authenticator::Create(options_.token_file, !options_.client_ca.empty());
  if (!auth.ok()) return auth.status();
  absl::MutexLock lock(&auth_mu_);
  auth_ = std::make_shared<const Authenticator>(*std::move(auth));
  return absl::OkStatus();
}

std::string FakeKubeApiServer::url() const {
  return absl::StrCat(tls_ ? "https" : "http", "://", options_.host, ":",
                      port());
}

void FakeKubeApiServer::Handle(const httplib::Request& request,
                               httplib::Response& response) {
  // httplib gzips JSON and text for clients that accept it, which holds a
  // watch's events back until the stream ends. A real apiserver compresses
  // only large responses; the fake never does. (The Request is a mutable
  // local of httplib's loop; the handler API merely hands it out const.)
  const_cast<httplib::Request&>(request).headers.erase("Accept-Encoding");
  try {
    HandleRequest(request, response);
  } catch (const nlohmann::json::exception& e) {
    // A field of the wrong JSON type (e.g. a numeric name); the real
    // server's decoder also answers 400.
    response.headers.clear();
    SendAnswer(
        FromError(BadRequest(absl::StrCat(
            "the request body has a field of the wrong type: ", e.what()))),
        response);
  }
}

void FakeKubeApiServer::HandleRequest(const httplib::Request& request,
                                      httplib::Response& response) {
  if (absl::StartsWith(request.path, "/_fake/")) {
    HandleControlRequest({cluster_.get(), &faults_, &requests_}, request,
                         response);
    return;
  }
  size_t question = request.target.find('?');
  requests_.Record({{"method", request.method},
                    {"path", request.path},
                    {"query", question == std::string::npos
                                  ? ""
                                  : request.target.substr(question + 1)},
                    {"accept", request.get_header_value("Accept")},
                    {"content_type", request.get_header_value("Content-Type")},
                    {"user_agent", request.get_header_value("User-Agent")},
                    {"authorization", request.has_header("Authorization")},
                    {"body", request.body}});
  std::shared_ptr<const Authenticator> auth;
  {
    absl::MutexLock lock(&auth_mu_);
    auth = auth_;
  }
  if (!auth->Authenticate(request).has_value()) {
    SendAnswer(FromError(Unauthorized()), response);
    return;
  }
  if (std::optional<Fault> fault =
          faults_.Inject(request.method, request.path)) {
    SendAnswer(FromError(FaultError(*fault, request)), response);
    return;
  }
  HandleApiRequest({cluster_.get(), absl::StrCat(options_.host, ":", port()),
                    options_.max_watch},
                   request, response);
}

}  // namespace tao::fakes::kubernetes
