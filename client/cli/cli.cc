#include "client/cli/cli.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "client/cli/args.h"
#include "client/cli/commands.h"
#include "client/cli/exit_codes.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"
#include "client/cli/usage.h"

namespace tao::cli {

std::shared_ptr<grpc::Channel> CreateServerChannel(const std::string& server) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);  // unlimited: video answers
  arguments.SetMaxSendMessageSize(-1);     // and uploads travel inline
  return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(),
                                   arguments);
}

int RunCli(const std::vector<std::string>& args,
           const std::string& default_server, CommandIo io,
           const ChannelFactory& make_channel) {
  if (args.empty()) {
    io.err << UsageText(Command::kNone);
    return kExitUsage;
  }
  absl::StatusOr<CliArgs> parsed = ParseArgs(args, default_server);
  if (!parsed.ok()) {
    CliError error = UsageError(std::string(parsed.status().message()));
    if (WantsJson(args)) {
      PrintJson(io.out, ErrorToJson(error));
    } else {
      io.err << FormatError(error) << "Run `tao-infer --help` for usage.\n";
    }
    return kExitUsage;
  }
  if (parsed->help) {
    io.out << UsageText(parsed->help_topic);
    return kExitOk;
  }
  std::shared_ptr<grpc::Channel> channel = make_channel(parsed->server);
  auto stub = tao::inference::v1::InferenceService::NewStub(channel);
  CliContext context{*stub, channel, io, parsed->json, parsed->server};
  switch (parsed->command) {
    case Command::kStart:
      return RunStart(context, parsed->start);
    case Command::kStop:
      return RunStop(context, parsed->stop);
    case Command::kList:
      return RunList(context, parsed->list);
    case Command::kGet:
      return RunGet(context, parsed->get);
    case Command::kWait:
      return RunWait(context, parsed->wait);
    case Command::kInfer:
      return RunInfer(context, parsed->infer);
    default:
      io.out << UsageText(Command::kNone);
      return kExitOk;
  }
}

}  // namespace tao::cli
