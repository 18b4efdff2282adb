// fake-kube-apiserver: the fake Kubernetes API server as a process, for
// tests that drive it with real clients (kubectl, python3-kubernetes).
//   fake-kube-apiserver --listen=127.0.0.1:0 --port-file=PATH
//       [--tls-cert=F --tls-key=F [--client-ca=F]] [--token-file=F]
//       [--namespaces=default,ns1] [--max-watch-seconds=3]
//       [--pods=scripted|docker [--docker-host=unix:///...]
//        [--owner=NAME]] [--service-node-port-range=30000-32767]
// --pods=docker runs pods on the local Docker engine (DockerPodRunner) and
// routes node ports and load balancers to them (ServiceNetwork); --owner
// labels its containers. Runs until SIGTERM/SIGINT, then removes them.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "tests/fakes/kubernetes/docker_pod_runner.h"
#include "tests/fakes/kubernetes/fake_kube_apiserver.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

int Usage(const std::string& why) {
  std::fprintf(stderr,
               "fake-kube-apiserver: %s\n"
               "usage: fake-kube-apiserver [--listen=127.0.0.1:0] "
               "[--port-file=PATH] [--tls-cert=F --tls-key=F] "
               "[--client-ca=F] [--token-file=F] [--namespaces=a,b] "
               "[--max-watch-seconds=N] [--pods=scripted|docker] "
               "[--docker-host=H] [--owner=NAME] "
               "[--service-node-port-range=MIN-MAX]\n",
               why.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using tao::fakes::kubernetes::DockerPodRunner;
  using tao::fakes::kubernetes::FakeKubeApiServer;
  FakeKubeApiServer::Options options;
  std::string port_file;
  std::string pods = "scripted";
  DockerPodRunner::Options docker;
  docker.owner = "fake-kube-apiserver";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    std::string key = arg.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (key == "--listen") {
      size_t colon = value.rfind(':');
      if (colon == std::string::npos ||
          !absl::SimpleAtoi(value.substr(colon + 1), &options.port)) {
        return Usage("--listen wants HOST:PORT, e.g. 127.0.0.1:0");
      }
      options.host = value.substr(0, colon);
    } else if (key == "--port-file") {
      port_file = value;
    } else if (key == "--tls-cert") {
      options.tls_cert = value;
    } else if (key == "--tls-key") {
      options.tls_key = value;
    } else if (key == "--client-ca") {
      options.client_ca = value;
    } else if (key == "--token-file") {
      options.token_file = value;
    } else if (key == "--namespaces") {
      options.namespaces = absl::StrSplit(value, ',', absl::SkipEmpty());
    } else if (key == "--max-watch-seconds") {
      int seconds;
      if (!absl::SimpleAtoi(value, &seconds) || seconds < 1) {
        return Usage("--max-watch-seconds wants a positive number");
      }
      options.max_watch = absl::Seconds(seconds);
    } else if (key == "--pods") {
      if (value != "scripted" && value != "docker") {
        return Usage("--pods wants scripted or docker");
      }
      pods = value;
    } else if (key == "--docker-host") {
      docker.docker_host = value;
    } else if (key == "--owner") {
      docker.owner = value;
    } else if (key == "--service-node-port-range") {
      std::vector<std::string> range = absl::StrSplit(value, '-');
      if (range.size() != 2 ||
          !absl::SimpleAtoi(range[0], &options.node_port_min) ||
          !absl::SimpleAtoi(range[1], &options.node_port_max)) {
        return Usage("--service-node-port-range wants MIN-MAX");
      }
    } else {
      return Usage("unknown flag " + key);
    }
  }
  if (pods == "docker") {
    auto runner = DockerPodRunner::Create(docker);
    if (!runner.ok()) {
      return Usage(std::string(runner.status().message()));
    }
    options.runner = *std::move(runner);
    options.service_network = true;
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  auto server = FakeKubeApiServer::Start(std::move(options));
  if (!server.ok()) {
    std::fprintf(stderr, "fake-kube-apiserver: %s\n",
                 std::string(server.status().message()).c_str());
    return 1;
  }
  if (!port_file.empty()) {
    // Written whole, then renamed, so a reader never sees a partial port.
    std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << (*server)->port() << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  std::fprintf(stderr, "fake-kube-apiserver: serving %s\n",
               (*server)->url().c_str());
  while (!g_stop) pause();
  return 0;
}
