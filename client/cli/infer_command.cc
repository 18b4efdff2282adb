// `tao-infer infer [--job-id ID | --network-arch A] [--text T] [--image X]...
// [--video X]... [sampling flags] [--accept-defaults] [--output FILE]`.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/cli/commands.h"
#include "client/cli/human_output.h"
#include "client/cli/infer_output.h"
#include "client/cli/infer_target.h"
#include "client/cli/json_output.h"
#include "client/cli/media_input.h"
#include "client/cli/sampling_prompt.h"
#include "client/cli/sampling_schema.h"

namespace tao::cli {
namespace {

using tao::inference::v1::ChatMessage;
using tao::inference::v1::InferResponse;
using tao::inference::v1::SamplingParams;

// The single user message: text first, then images, then videos.
absl::StatusOr<ChatMessage> BuildMessage(const InferArgs& args) {
  ChatMessage message;
  message.set_role(tao::inference::v1::ROLE_USER);
  if (args.text) message.add_parts()->set_text(*args.text);
  for (const std::string& image : args.images) {
    auto media = MediaFromArgument("--image", image);
    if (!media.ok()) return media.status();
    *message.add_parts()->mutable_image() = *std::move(media);
  }
  for (const std::string& video : args.videos) {
    auto media = MediaFromArgument("--video", video);
    if (!media.ok()) return media.status();
    *message.add_parts()->mutable_video() = *std::move(media);
  }
  return message;
}

CliError MissingFieldsError(const InferTarget& target,
                            const SamplingFields& missing) {
  CliError error = UsageError(absl::StrCat(
      "no terminal to ask for the sampling fields of ", target.network_arch,
      "; pass them as flags, or --accept-defaults to let the server apply "
      "its defaults:\n",
      absl::StripTrailingAsciiWhitespace(DescribeFields(missing))));
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& field : missing) {
    fields.push_back({{"name", field.name()},
                      {"flag", FlagForField(field.name())},
                      {"default", DefaultText(field)}});
  }
  error.extra = {{"cli_reason", "SAMPLING_FIELDS_REQUIRED"},
                 {"job_id", target.job_id},
                 {"network_arch", target.network_arch},
                 {"missing_fields", fields}};
  return error;
}

// Asks for (or checks) the sampling fields of the target's architecture,
// as the server describes them. Returns the error, or nullopt with
// *sampling filled.
std::optional<CliError> DecideSampling(const CliContext& context,
                                       const InferArgs& args,
                                       const InferTarget& target,
                                       SamplingParams* sampling) {
  *sampling = args.sampling;
  // Nothing to ask or check: the server applies its defaults.
  if (args.accept_defaults && SetSamplingFieldNames(args.sampling).empty()) {
    return std::nullopt;
  }
  std::optional<SamplingFields> fields;
  if (auto error = DescribeSamplingFields(
          context, target.network_arch,
          TimeoutOr(args.timeout_seconds, kDefaultCallTimeout), &fields)) {
    return error;
  }
  if (!fields) return std::nullopt;  // not described: the server decides
  if (absl::Status s =
          CheckFieldsApply(args.sampling, target.network_arch, *fields);
      !s.ok()) {
    return UsageError(std::string(s.message()));
  }
  SamplingPromptOptions options;
  options.is_tty = context.io.is_tty;
  options.accept_defaults = args.accept_defaults;
  absl::StatusOr<SamplingOutcome> outcome =
      ResolveSampling(target.network_arch, *fields, args.sampling, options,
                      context.io.in, context.io.err);
  if (!outcome.ok()) return UsageError(std::string(outcome.status().message()));
  if (outcome->refused) return MissingFieldsError(target, outcome->missing);
  *sampling = outcome->params;
  return std::nullopt;
}

void PrintHuman(const CliContext& context, const InferResponse& response,
                const std::vector<SavedAnswer>& saved) {
  std::ostream& out = context.io.out;
  out << "Service: " << response.job_id() << " (" << response.network_arch()
      << ")";
  if (!response.host_url().empty()) out << " at " << response.host_url();
  out << "\nApplied: " << FormatSampling(response.applied()) << "\n";
  for (const auto& choice : response.choices()) {
    bool written = false;
    for (const SavedAnswer& answer : saved) {
      if (answer.choice_index != choice.index()) continue;
      out << "Wrote " << answer.mime_type << " (" << answer.bytes
          << " bytes) to " << answer.path << "\n";
      written = true;
    }
    if (!written) out << choice.text() << "\n";
  }
}

nlohmann::json ToJson(InferResponse response,
                      const std::vector<SavedAnswer>& saved) {
  // Media bytes stay in the files; JSON gets their paths.
  for (auto& choice : *response.mutable_choices()) choice.clear_media();
  nlohmann::json document = ProtoToJson(response);
  nlohmann::json outputs = nlohmann::json::array();
  for (const SavedAnswer& answer : saved) {
    outputs.push_back({{"choice_index", answer.choice_index},
                       {"path", answer.path},
                       {"mime_type", answer.mime_type},
                       {"bytes", answer.bytes}});
  }
  document["outputs"] = outputs;
  return document;
}

}  // namespace

int RunInfer(const CliContext& context, const InferArgs& args) {
  // Local files first: a wrong path is a usage error before any call.
  absl::StatusOr<ChatMessage> message = BuildMessage(args);
  if (!message.ok()) {
    return context.Fail(UsageError(std::string(message.status().message())));
  }
  InferTarget target;
  if (auto error = ResolveInferTarget(context, args, &target)) {
    return context.Fail(*error);
  }
  SamplingParams sampling;
  if (auto error = DecideSampling(context, args, target, &sampling)) {
    return context.Fail(*error);
  }

  tao::inference::v1::InferRequest request;
  request.set_job_id(target.job_id);
  *request.add_messages() = *std::move(message);
  *request.mutable_sampling() = sampling;
  request.set_wait_for_ready(args.wait_for_ready);
  const absl::Duration timeout =
      TimeoutOr(args.timeout_seconds, kDefaultInferTimeout);
  InferResponse response;
  const grpc::Status status =
      context.stub.Infer(context.NewCall(timeout).get(), request, &response);
  if (!status.ok()) return context.Fail(context.RpcError(status, timeout));

  absl::StatusOr<std::vector<SavedAnswer>> saved =
      SaveAnswers(response, args.output);
  if (!saved.ok()) {
    CliError error = UsageError(std::string(saved.status().message()));
    if (args.output.empty()) error.code = grpc::StatusCode::UNKNOWN;
    return context.Fail(error);
  }
  if (context.json) {
    PrintJson(context.io.out, ToJson(std::move(response), *saved));
  } else {
    PrintHuman(context, response, *saved);
  }
  return 0;
}

}  // namespace tao::cli
