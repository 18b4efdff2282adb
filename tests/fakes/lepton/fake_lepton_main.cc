// fake-lepton: the fake Lepton workspace API as a process, for tests that
// drive it from outside (tao-inferd, tao-infer).
//   fake-lepton [--listen=127.0.0.1:0] [--port-file=PATH] [--workspace=ID]
//       [--token=TOKEN] [--name-limit=32|36] [--docker-host=H]
//       [--owner=NAME] [--crash-state=error]
// Prints the workspace URL on stderr (never a secret), writes the port to
// --port-file once it listens, runs until SIGTERM/SIGINT, then removes
// every container of its owner.
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "tests/fakes/common/fake_main.h"
#include "tests/fakes/lepton/fake_lepton_server.h"

int main(int argc, char** argv) {
  using tao::fakes::lepton::FakeLeptonServer;
  FakeLeptonServer::Options options;
  tao::fakes::FakeCommandLine command(
      "fake-lepton",
      "[--listen=127.0.0.1:0] [--port-file=PATH] [--workspace=ID] "
      "[--token=TOKEN] [--name-limit=32|36] [--docker-host=H] [--owner=NAME] "
      "[--crash-state=error]");
  const int usage = command.Read(
      argc, argv, &options.host, &options.port,
      [&options](const std::string& key, const std::string& value) {
        if (key == "--workspace") {
          options.workspace = value;
        } else if (key == "--token") {
          options.token = value;  // "" : no token required
        } else if (key == "--name-limit") {
          if (!absl::SimpleAtoi(value, &options.name_limit) ||
              (options.name_limit != 32 && options.name_limit != 36)) {
            return absl::InvalidArgumentError("--name-limit wants 32 or 36");
          }
        } else if (key == "--docker-host") {
          options.docker_host = value;
        } else if (key == "--owner") {
          options.owner = value;
        } else if (key == "--crash-state") {
          if (value != "error") {
            return absl::InvalidArgumentError("--crash-state wants error");
          }
          options.crash_state_error = true;
        } else {
          return absl::NotFoundError(key);
        }
        return absl::OkStatus();
      });
  if (usage != 0) return usage;
  return command.Serve(
      [&options] { return FakeLeptonServer::Start(std::move(options)); });
}
