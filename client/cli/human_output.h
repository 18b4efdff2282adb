// Text for people: tables, service details, progress lines and errors.
#ifndef TAO_CLIENT_CLI_HUMAN_OUTPUT_H_
#define TAO_CLIENT_CLI_HUMAN_OUTPUT_H_

#include <string>
#include <vector>

#include "client/cli/cli_error.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

// "READY" for SERVICE_STATE_READY.
std::string StateName(tao::inference::v1::ServiceState state);
// "loading" for PHASE_LOADING.
std::string PhaseName(tao::inference::v1::Phase phase);
// "AMBIGUOUS_TARGET" for ERROR_REASON_AMBIGUOUS_TARGET.
std::string ReasonName(tao::inference::v1::ErrorReason reason);
// "12.3s".
std::string FormatSeconds(const google::protobuf::Duration& duration);

// Left-aligned columns, two spaces apart; `rows` may be ragged.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

// The `list` table: JOB ID, ARCH, PLATFORM, STATE, URL, STARTED, with "*"
// before the registry's latest.
std::string FormatServiceTable(const google::protobuf::RepeatedPtrField<
                                   tao::inference::v1::Service>& services,
                               const std::string& latest_job_id);

// Numbered candidates ("1.  <job id>  cosmos-rl  local-docker  READY ..."),
// each line led by `indent`, for choosing a target.
std::string FormatCandidates(const google::protobuf::RepeatedPtrField<
                                 tao::inference::v1::Service>& candidates,
                             const std::string& indent);

// "name: value" lines of one service (empty fields left out).
std::string FormatServiceDetails(const tao::inference::v1::Service& service);

// One progress line of `wait`.
std::string FormatWaitEvent(const tao::inference::v1::WaitReadyEvent& event);

// "max_tokens=1024 temperature=0.7" for the fields set in `params`.
std::string FormatSampling(const tao::inference::v1::SamplingParams& params);

// "tao-infer: error: ..." followed by what the details say (reason,
// candidates, offending fields, backend error).
std::string FormatError(const CliError& error);

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_HUMAN_OUTPUT_H_
