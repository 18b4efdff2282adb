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
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "tests/fakes/common/fake_main.h"
#include "tests/fakes/kubernetes/docker_pod_runner.h"
#include "tests/fakes/kubernetes/fake_kube_apiserver.h"

int main(int argc, char** argv) {
  using tao::fakes::kubernetes::DockerPodRunner;
  using tao::fakes::kubernetes::FakeKubeApiServer;
  FakeKubeApiServer::Options options;
  std::string pods = "scripted";
  DockerPodRunner::Options docker;
  docker.owner = "fake-kube-apiserver";
  tao::fakes::FakeCommandLine command(
      "fake-kube-apiserver",
      "[--listen=127.0.0.1:0] [--port-file=PATH] [--tls-cert=F --tls-key=F] "
      "[--client-ca=F] [--token-file=F] [--namespaces=a,b] "
      "[--max-watch-seconds=N] [--pods=scripted|docker] [--docker-host=H] "
      "[--owner=NAME] [--service-node-port-range=MIN-MAX]");
  const int usage = command.Read(
      argc, argv, &options.host, &options.port,
      [&](const std::string& key, const std::string& value) {
        if (key == "--tls-cert") {
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
            return absl::InvalidArgumentError(
                "--max-watch-seconds wants a positive number");
          }
          options.max_watch = absl::Seconds(seconds);
        } else if (key == "--pods") {
          if (value != "scripted" && value != "docker") {
            return absl::InvalidArgumentError(
                "--pods wants scripted or docker");
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
            return absl::InvalidArgumentError(
                "--service-node-port-range wants MIN-MAX");
          }
        } else {
          return absl::NotFoundError(key);
        }
        return absl::OkStatus();
      });
  if (usage != 0) return usage;
  if (pods == "docker") {
    auto runner = DockerPodRunner::Create(docker);
    if (!runner.ok()) {
      return command.Usage(std::string(runner.status().message()));
    }
    options.runner = *std::move(runner);
    options.service_network = true;
  }
  return command.Serve(
      [&options] { return FakeKubeApiServer::Start(std::move(options)); });
}
