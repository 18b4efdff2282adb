#include "client/cli/wait_stream.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "client/cli/exit_codes.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"
#include "client/cli/progress_display.h"

namespace tao::cli {
namespace {

using tao::inference::v1::ServiceState;
using tao::inference::v1::WaitReadyEvent;

// Extra time the call may take beyond the server-side timeout, so that the
// server reports the timeout (with its last state) rather than the client.
constexpr absl::Duration kDeadlineGrace = absl::Seconds(30);
// WaitReadyRequest.timeout when unset (the proto's documented default).
constexpr absl::Duration kServerDefaultWait = absl::Seconds(600);

// What the server signalled: the last event's state, FAILED or STOPPED.
CliError ServiceFailed(const WaitOutcome& outcome) {
  const WaitReadyEvent& last = outcome.events.back();
  CliError error;
  error.code = grpc::StatusCode::FAILED_PRECONDITION;
  error.service_failed = true;
  error.message = absl::StrCat(
      "service ", outcome.job_id, " ", StateName(last.state()),
      last.reason().empty() ? "" : absl::StrCat(": ", last.reason()),
      last.message().empty() ? "" : absl::StrCat(" (", last.message(), ")"),
      "; see the service's logs on its platform");
  return error;
}

}  // namespace

int WaitOutcome::exit_code() const {
  return error ? error->exit_code() : kExitOk;
}

WaitOutcome FollowWaitReady(const CliContext& context,
                            const std::string& job_id,
                            std::optional<double> timeout_seconds) {
  WaitOutcome outcome;
  outcome.job_id = job_id;
  tao::inference::v1::WaitReadyRequest request;
  request.set_job_id(job_id);
  if (timeout_seconds) {
    const double whole = std::floor(*timeout_seconds);
    request.mutable_timeout()->set_seconds(static_cast<int64_t>(whole));
    request.mutable_timeout()->set_nanos(
        static_cast<int32_t>((*timeout_seconds - whole) * 1e9));
  }
  const absl::Duration wait = TimeoutOr(timeout_seconds, kServerDefaultWait);
  std::unique_ptr<grpc::ClientContext> call =
      context.NewCall(wait + kDeadlineGrace);
  auto reader = context.stub.WaitReady(call.get(), request);
  WaitProgressDisplay display(context.io.out, context.io.err,
                              context.io.err_is_tty);
  WaitReadyEvent event;
  while (reader->Read(&event)) {
    if (!context.json) display.Show(event);
    outcome.final_state = event.state();
    outcome.events.push_back(event);
  }
  // The summary and errors come next on the same terminal.
  display.Finish();
  const grpc::Status status = reader->Finish();
  if (!status.ok()) {
    outcome.error = context.RpcError(status);
    if (outcome.error->code == grpc::StatusCode::DEADLINE_EXCEEDED) {
      outcome.error->message = absl::StrCat(
          "service ", job_id, " was not ready within ",
          absl::ToDoubleSeconds(wait), "s (last state ",
          StateName(outcome.final_state), "): ", outcome.error->message);
    }
    return outcome;
  }
  switch (outcome.final_state) {
    case tao::inference::v1::SERVICE_STATE_READY:
      break;
    case tao::inference::v1::SERVICE_STATE_FAILED:
    case tao::inference::v1::SERVICE_STATE_STOPPED:
      outcome.error = ServiceFailed(outcome);
      break;
    default: {
      CliError error;
      error.code = grpc::StatusCode::UNKNOWN;
      error.message = absl::StrCat(
          "the wait for ", job_id,
          " ended before the service was ready or failed (last state ",
          StateName(outcome.final_state), ")");
      outcome.error = error;
    }
  }
  return outcome;
}

nlohmann::json WaitOutcomeToJson(const WaitOutcome& outcome) {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& event : outcome.events) events.push_back(ProtoToJson(event));
  nlohmann::json document = {
      {"job_id", outcome.job_id},
      {"ready", !outcome.error.has_value()},
      {"final_state",
       tao::inference::v1::ServiceState_Name(outcome.final_state)},
      {"events", events},
  };
  if (outcome.error) {
    document["error"] = ErrorToJson(*outcome.error)["error"];
  }
  return document;
}

void PrintWaitSummary(const CliContext& context, const WaitOutcome& outcome) {
  if (outcome.error) {
    context.io.err << FormatError(*outcome.error);
    return;
  }
  context.io.out << "Service " << outcome.job_id
                 << " is ready. Send requests with: tao-infer infer --job-id "
                 << outcome.job_id << " ..." << std::endl;
}

}  // namespace tao::cli
