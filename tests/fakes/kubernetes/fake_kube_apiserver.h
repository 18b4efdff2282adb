// A fake Kubernetes API server on 127.0.0.1, HTTP or HTTPS (optionally
// asking for client certificates), for in-process use by driver tests and
// behind the fake-kube-apiserver binary. What it implements and what not:
// tests/fakes/kubernetes/README.md.
#ifndef TAO_TESTS_FAKES_KUBERNETES_FAKE_KUBE_APISERVER_H_
#define TAO_TESTS_FAKES_KUBERNETES_FAKE_KUBE_APISERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tests/fakes/common/fault_plan.h"
#include "tests/fakes/common/http_server_thread.h"
#include "tests/fakes/common/request_log.h"
#include "tests/fakes/kubernetes/auth.h"
#include "tests/fakes/kubernetes/cluster.h"
#include "tests/fakes/kubernetes/pod_runner.h"
#include "tests/fakes/kubernetes/service_network.h"

namespace tao::fakes::kubernetes {

class FakeKubeApiServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    // Both set: HTTPS. client_ca set too: request (not require) client
    // certificates and verify them against it.
    std::string tls_cert;
    std::string tls_key;
    std::string client_ca;
    std::string token_file;  // lines "token,user"
    std::vector<std::string> namespaces = {"default"};
    absl::Duration max_watch = absl::Seconds(3);
    // nullptr: a ScriptedPodRunner.
    std::unique_ptr<PodRunner> runner;
    // Node ports and load balancers that forward to pods (service_network.h);
    // only useful when the runner runs pods for real.
    bool service_network = false;
    // --service-node-port-range.
    int node_port_min = 30000;
    int node_port_max = 32767;
  };

  static absl::StatusOr<std::unique_ptr<FakeKubeApiServer>> Start(
      Options options);
  ~FakeKubeApiServer();

  int port() const { return http_.port(); }
  // "https://127.0.0.1:PORT" or "http://...".
  std::string url() const;
  Cluster& cluster() { return *cluster_; }
  // Reads the token file again: tokens removed from it are refused from
  // now on (a token that expired or was revoked), new ones accepted. (The
  // real --token-auth-file is read once; tests use this to end a token.)
  absl::Status ReloadTokens();
  FaultPlan& faults() { return faults_; }
  RequestLog& requests() { return requests_; }

 private:
  FakeKubeApiServer() = default;
  void Handle(const httplib::Request& request, httplib::Response& response);
  void HandleRequest(const httplib::Request& request,
                     httplib::Response& response);

  Options options_;
  std::unique_ptr<PodRunner> runner_;
  std::unique_ptr<ServiceNetwork> network_;
  std::unique_ptr<Cluster> cluster_;
  absl::Mutex auth_mu_;
  std::shared_ptr<const Authenticator> auth_ ABSL_GUARDED_BY(auth_mu_);
  FaultPlan faults_;
  RequestLog requests_;
  HttpServerThread http_;
  bool tls_ = false;
};

}  // namespace tao::fakes::kubernetes

#endif  // TAO_TESTS_FAKES_KUBERNETES_FAKE_KUBE_APISERVER_H_
