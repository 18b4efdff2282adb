#include "client/cli/usage.h"

#include "absl/strings/str_cat.h"
#include "client/cli/exit_codes.h"
#include "client/cli/sampling_fields.h"

namespace tao::cli {
namespace {

constexpr char kGlobalFlags[] =
    "Global flags (before or after the command):\n"
    "  --server HOST:PORT  tao-inferd address (default $TAO_INFER_SERVER, "
    "else 127.0.0.1:50051)\n"
    "  --json              print one JSON document on stdout (errors too)\n"
    "  --help, -h          show help\n"
    "Flags take values as --flag VALUE or --flag=VALUE.\n";

std::string Overview() {
  return absl::StrCat(
      "tao-infer: start, watch, query and stop TAO inference microservices "
      "through tao-inferd.\n\n"
      "Usage: tao-infer [--server HOST:PORT] [--json] COMMAND [flags]\n\n"
      "Commands:\n"
      "  start   start a service (--platform, --network-arch, "
      "--model-path)\n"
      "  wait    follow a service until its model has loaded\n"
      "  list    list the services (the latest is marked *)\n"
      "  get     show one service\n"
      "  infer   send a request (text, images, videos) to a service\n"
      "  stop    stop a service (without JOB_ID: the latest, after "
      "confirmation)\n"
      "  help    help on a command: tao-infer help infer\n\n",
      kGlobalFlags, "\n", ExitCodeHelp());
}

std::string StartUsage() {
  return absl::StrCat(
      "Usage: tao-infer start --platform P --network-arch A --model-path M\n"
      "         [--model-key K] [--image I] [--num-gpus N] [--host-port N]\n"
      "         [--request-id R] [--env NAME=VALUE]... [--option "
      "NAME=VALUE]...\n"
      "         [--wait] [--timeout SECONDS]\n\n"
      "Starts a microservice and prints its job id. The model loads "
      "afterwards:\nuse `tao-infer wait JOB_ID`, or --wait here.\n\n"
      "  --platform P       local-docker, brev, lepton, slurm or kubernetes\n"
      "  --network-arch A   cosmos-rl or cosmos-predict2.5\n"
      "  --model-path M     hf_model://ORG/MODEL or an absolute path in the "
      "container\n"
      "  --model-key K      cosmos-predict2.5 with hf_model://: the model key "
      "(e.g. base-2b)\n"
      "  --image I          container image override\n"
      "  --num-gpus N       GPUs (default 1)\n"
      "  --host-port N      host port (default 0: lowest free in 8080-8199)\n"
      "  --request-id R     idempotency key: repeating it returns the first "
      "service\n"
      "  --env NAME=VALUE   extra non-secret container environment "
      "(repeatable;\n"
      "                     secrets belong in the server's environment)\n"
      "  --option NAME=VALUE\n"
      "                     a platform option (repeatable), e.g. "
      "partition=gpu for\n"
      "                     slurm or network=my_net for local-docker "
      "(docs/cli.md)\n"
      "  --wait             return at once and follow the launch (image "
      "pull,\n"
      "                     start) and the model's loading (like `wait`)\n"
      "  --timeout SECONDS  give up after this long (exit 5): the start and, "
      "with\n"
      "                     --wait, the wait (default: 3600 for the start, "
      "the\n"
      "                     server's 600 for the wait)\n\n",
      kGlobalFlags);
}

std::string WaitUsage() {
  return absl::StrCat(
      "Usage: tao-infer wait JOB_ID [--timeout SECONDS]\n\n"
      "Prints progress (state, phase, elapsed time, message) until the "
      "model is\nloaded. Exits 0 when READY, 4 when the service failed, 5 "
      "on timeout.\nWith --json, one document at the end holds every event "
      "and the final state.\n\n"
      "  --timeout SECONDS  how long to wait (default: the server's, 600)\n\n",
      kGlobalFlags);
}

std::string ListUsage() {
  return absl::StrCat(
      "Usage: tao-infer list [--refresh] [--network-arch A] [--platform P]\n"
      "         [--timeout SECONDS]\n\n"
      "  --refresh          ask each platform for the live state (slower)\n"
      "  --network-arch A   only services of this architecture\n"
      "  --platform P       only services on this platform\n"
      "  --timeout SECONDS  give up after this long (exit 5; default 60)\n\n",
      kGlobalFlags);
}

std::string GetUsage() {
  return absl::StrCat(
      "Usage: tao-infer get JOB_ID [--refresh] [--timeout SECONDS]\n\n"
      "  --refresh          ask the platform for the live state\n"
      "  --timeout SECONDS  give up after this long (exit 5; default 60)\n\n",
      kGlobalFlags);
}

std::string StopUsage() {
  return absl::StrCat(
      "Usage: tao-infer stop [JOB_ID] [--yes] [--timeout SECONDS]\n\n"
      "Without JOB_ID, shows which service `latest` points to and asks "
      "before\nstopping it; without a terminal --yes is required.\n\n"
      "  --yes              stop the latest service without asking\n"
      "  --timeout SECONDS  give up on each call after this long (exit 5; "
      "default 60)\n\n",
      kGlobalFlags);
}

// The sampling flags, indented and two spaces apart, in lines of at most 80
// columns.
std::string SamplingFlagLines() {
  std::string text;
  std::string line;
  for (const std::string& flag : AllSamplingFlags()) {
    if (!line.empty() && line.size() + 2 + flag.size() > 80) {
      absl::StrAppend(&text, line, "\n");
      line.clear();
    }
    absl::StrAppend(&line, "  ", flag);
  }
  return absl::StrCat(text, line, "\n");
}

std::string InferUsage() {
  return absl::StrCat(
      "Usage: tao-infer infer [--job-id ID | --network-arch A] [--text T]\n"
      "         [--image FILE_OR_URL]... [--video FILE_OR_URL]... [sampling "
      "flags]\n"
      "         [--accept-defaults] [--wait-for-ready] [--output FILE] "
      "[--timeout SECONDS]\n\n"
      "Sends one user message (text, then images, then videos) to a "
      "service.\nWithout --job-id/--network-arch the only service is used; "
      "when several\nmatch, a terminal user picks one, otherwise the "
      "command exits 3 listing them.\nFiles are sent as bytes (MIME type "
      "from the extension); http(s):// and\ndata: URLs are passed on.\n\n"
      "  --job-id ID         the service to use\n"
      "  --network-arch A    the service of this architecture\n"
      "  --text T            the prompt\n"
      "  --image X           image file or URL (repeatable)\n"
      "  --video X           video file or URL (repeatable)\n"
      "  --accept-defaults   leave sampling fields not given to the server's "
      "defaults\n"
      "  --wait-for-ready    wait for the model to load instead of failing\n"
      "  --output FILE       where a media answer (or, if given, a text "
      "answer) is\n"
      "                      written; default ./tao-infer-JOB-ID.EXT "
      "(printed)\n"
      "  --timeout SECONDS   give up after this long (exit 5; default 600)\n\n"
      "Sampling flags:\n",
      SamplingFlagLines(),
      "Which apply, their defaults and ranges come from the server's "
      "catalog for the\ntarget's architecture. On a terminal every field "
      "not given is asked for in one\nround (Enter keeps the default). "
      "Without a terminal, give them all or pass\n--accept-defaults; the "
      "refusal lists them.\n\n",
      kGlobalFlags);
}

}  // namespace

std::string UsageText(Command topic) {
  switch (topic) {
    case Command::kStart:
      return StartUsage();
    case Command::kWait:
      return WaitUsage();
    case Command::kList:
      return ListUsage();
    case Command::kGet:
      return GetUsage();
    case Command::kStop:
      return StopUsage();
    case Command::kInfer:
      return InferUsage();
    default:
      return Overview();
  }
}

}  // namespace tao::cli
