// The tao-inferd server program: flags, registry, catalog, platforms,
// ServiceManager, gRPC server, background startup check, signal handling.
// tao-inferd (server/main.cc) runs it with the built-in platforms only;
// test binaries (tests/support/test_server_main.cc) add their own.
#ifndef TAO_SERVER_SERVER_MAIN_H_
#define TAO_SERVER_SERVER_MAIN_H_

#include <functional>

#include "absl/status/status.h"
#include "platforms/platform_registry.h"

namespace tao::server {

// Parses the command line (every ABSL_FLAG linked into the binary), adds
// the built-in platforms and then `extra_platforms` (may be null; called
// after flag parsing), serves until SIGTERM/SIGINT. Health reports
// NOT_SERVING until the registry was checked against the platforms
// (ServiceManager::ReconcileAtStartup, run in the background while RPCs
// are served), SERVING after. Returns the process exit code.
int RunServer(int argc, char** argv,
              const std::function<absl::Status(platforms::PlatformRegistry&)>&
                  extra_platforms);

}  // namespace tao::server

#endif  // TAO_SERVER_SERVER_MAIN_H_
