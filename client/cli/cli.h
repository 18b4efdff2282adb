// The whole of tao-infer behind main(): parse, connect, run a command.
#ifndef TAO_CLIENT_CLI_CLI_H_
#define TAO_CLIENT_CLI_CLI_H_

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/cli/command_context.h"

namespace tao::cli {

using ChannelFactory =
    std::function<std::shared_ptr<grpc::Channel>(const std::string& server)>;

// An insecure channel to `server` whose message limits allow real media
// (hundreds of MiB), not gRPC's 4 MiB default.
std::shared_ptr<grpc::Channel> CreateServerChannel(const std::string& server);

// Runs tao-infer with `args` (without the program name) and returns the
// exit code. `default_server` applies when --server is absent.
int RunCli(const std::vector<std::string>& args,
           const std::string& default_server, CommandIo io,
           const ChannelFactory& make_channel = CreateServerChannel);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_CLI_H_
