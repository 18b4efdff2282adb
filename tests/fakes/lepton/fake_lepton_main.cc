// fake-lepton: the fake Lepton workspace API as a process, for tests that
// drive it from outside (tao-inferd, tao-infer).
//   fake-lepton [--listen=127.0.0.1:0] [--port-file=PATH] [--workspace=ID]
//       [--token=TOKEN] [--name-limit=32|36] [--docker-host=H]
//       [--owner=NAME] [--crash-state=error]
// Prints the workspace URL on stderr (never a secret), writes the port to
// --port-file once it listens, runs until SIGTERM/SIGINT, then removes
// every container of its owner.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/numbers.h"
#include "tests/fakes/lepton/fake_lepton_server.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

int Usage(const std::string& why) {
  std::fprintf(stderr,
               "fake-lepton: %s\n"
               "usage: fake-lepton [--listen=127.0.0.1:0] [--port-file=PATH] "
               "[--workspace=ID] [--token=TOKEN] [--name-limit=32|36] "
               "[--docker-host=H] [--owner=NAME] [--crash-state=error]\n",
               why.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using tao::fakes::lepton::FakeLeptonServer;
  FakeLeptonServer::Options options;
  std::string port_file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string key = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (key == "--listen") {
      const size_t colon = value.rfind(':');
      if (colon == std::string::npos ||
          !absl::SimpleAtoi(value.substr(colon + 1), &options.port)) {
        return Usage("--listen wants HOST:PORT, e.g. 127.0.0.1:0");
      }
      options.host = value.substr(0, colon);
    } else if (key == "--port-file") {
      port_file = value;
    } else if (key == "--workspace") {
      options.workspace = value;
    } else if (key == "--token") {
      options.token = value;  // "" : no token required
    } else if (key == "--name-limit") {
      if (!absl::SimpleAtoi(value, &options.name_limit) ||
          (options.name_limit != 32 && options.name_limit != 36)) {
        return Usage("--name-limit wants 32 or 36");
      }
    } else if (key == "--docker-host") {
      options.docker_host = value;
    } else if (key == "--owner") {
      options.owner = value;
    } else if (key == "--crash-state") {
      if (value != "error") return Usage("--crash-state wants error");
      options.crash_state_error = true;
    } else {
      return Usage("unknown flag " + key);
    }
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  auto server = FakeLeptonServer::Start(std::move(options));
  if (!server.ok()) {
    std::fprintf(stderr, "fake-lepton: %s\n",
                 std::string(server.status().message()).c_str());
    return 1;
  }
  if (!port_file.empty()) {
    // Written whole, then renamed, so a reader never sees a partial port.
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << (*server)->port() << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  std::fprintf(stderr, "fake-lepton: serving %s\n", (*server)->url().c_str());
  while (!g_stop) pause();
  return 0;
}
