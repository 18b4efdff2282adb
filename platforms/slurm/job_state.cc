#include "platforms/slurm/job_state.h"

#include <map>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tao::platforms::slurm {
namespace {

// scontrol's one-line form is "Key=Value Key=Value ..."; the fields used
// here never contain spaces. The first occurrence of a key wins.
std::map<std::string, std::string> Fields(absl::string_view text) {
  std::map<std::string, std::string> fields;
  for (absl::string_view token :
       absl::StrSplit(text, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    size_t eq = token.find('=');
    if (eq == absl::string_view::npos) continue;
    fields.emplace(std::string(token.substr(0, eq)),
                   std::string(token.substr(eq + 1)));
  }
  return fields;
}

std::string Meaningful(const std::string& value) {
  return value == "None" || value == "(null)" ? std::string() : value;
}

}  // namespace

JobPhase PhaseOf(absl::string_view state) {
  static const auto* pending = new std::vector<absl::string_view>{
      "PENDING",      "CONFIGURING", "REQUEUED",  "REQUEUE_FED",
      "REQUEUE_HOLD", "RESIZING",    "SUSPENDED", "STOPPED"};
  if (state == "RUNNING") return JobPhase::kRunning;
  for (absl::string_view p : *pending) {
    if (state == p) return JobPhase::kPending;
  }
  return JobPhase::kEnded;
}

absl::StatusOr<JobInfo> ParseScontrolJob(absl::string_view text) {
  std::map<std::string, std::string> fields = Fields(text);
  auto state = fields.find("JobState");
  if (state == fields.end()) {
    return absl::InternalError(absl::StrCat(
        "unexpected scontrol output (no JobState): ", text.substr(0, 200)));
  }
  JobInfo job;
  job.job_id = fields["JobId"];
  job.state = state->second;
  job.reason = Meaningful(fields["Reason"]);
  job.node_list = Meaningful(fields["NodeList"]);
  job.exit_code = fields["ExitCode"];
  return job;
}

std::optional<JobInfo> ParseSacct(absl::string_view text) {
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> cols = absl::StrSplit(line, '|');
    if (cols.size() < 5 || cols[1].empty()) continue;
    JobInfo job;
    job.job_id = cols[0];
    // "CANCELLED by 1001": the state, then who cancelled.
    std::vector<std::string> state = absl::StrSplit(cols[1], " by ");
    job.state = state[0];
    if (state.size() > 1) job.cancelled_by = state[1];
    job.exit_code = cols[2];
    job.node_list = Meaningful(cols[3]);
    job.reason = Meaningful(cols[4]);
    return job;
  }
  return std::nullopt;
}

std::vector<QueuedJob> ParseSqueue(absl::string_view text) {
  std::vector<QueuedJob> jobs;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    // The comment comes last: other users' comments may hold '|'.
    std::vector<std::string> cols = absl::StrSplit(
        absl::StripAsciiWhitespace(line), absl::MaxSplits('|', 5));
    if (cols.size() != 6 || cols[0].empty() || cols[2].empty()) continue;
    jobs.push_back({cols[0], cols[1], cols[2], Meaningful(cols[3]),
                    Meaningful(cols[4]), Meaningful(cols[5])});
  }
  return jobs;
}

absl::StatusOr<std::string> ParseNodeAddress(absl::string_view text) {
  std::map<std::string, std::string> fields = Fields(text);
  if (!fields["NodeAddr"].empty()) return fields["NodeAddr"];
  if (!fields["NodeName"].empty()) return fields["NodeName"];
  return absl::InternalError(absl::StrCat(
      "unexpected scontrol output (no NodeAddr): ", text.substr(0, 200)));
}

std::string DescribeJob(const JobInfo& job) {
  std::string text = absl::StrCat("SLURM job ", job.job_id, " is ", job.state);
  std::vector<std::string> facts;
  if (!job.cancelled_by.empty()) {
    facts.push_back(absl::StrCat("by uid ", job.cancelled_by));
  }
  if (!job.reason.empty()) facts.push_back("reason " + job.reason);
  if (PhaseOf(job.state) == JobPhase::kEnded && !job.exit_code.empty()) {
    facts.push_back("exit code " + job.exit_code);
  }
  if (!job.node_list.empty()) facts.push_back("node " + job.node_list);
  for (size_t i = 0; i < facts.size(); ++i) {
    absl::StrAppend(&text, i == 0 ? " (" : ", ", facts[i]);
  }
  if (!facts.empty()) text += ")";
  return text;
}

RuntimeState ToRuntimeState(const JobInfo& job) {
  RuntimeState state;
  state.detail = DescribeJob(job);
  switch (PhaseOf(job.state)) {
    case JobPhase::kPending:
      state.phase = RuntimeState::Phase::kPending;
      return state;
    case JobPhase::kRunning:
      state.phase = RuntimeState::Phase::kRunning;
      return state;
    case JobPhase::kEnded:
      break;
  }
  state.phase = RuntimeState::Phase::kExited;
  std::pair<std::string, std::string> code =
      absl::StrSplit(job.exit_code, absl::MaxSplits(':', 1));
  int exit_code = 0;
  int signal = 0;
  if (absl::SimpleAtoi(code.first, &exit_code)) {
    state.has_exit_code = true;
    state.exit_code = exit_code;
    if (absl::SimpleAtoi(code.second, &signal) && signal > 0) {
      state.exit_code = 128 + signal;
    }
  }
  return state;
}

absl::Status EndedBeforeRunning(const JobInfo& job,
                                absl::string_view output_tail) {
  std::string message =
      absl::StrCat(DescribeJob(job), ": it ended before the service started");
  if (!output_tail.empty()) {
    absl::StrAppend(&message, "; last output lines:\n", output_tail);
  }
  if (job.state == "OUT_OF_MEMORY") {
    return absl::ResourceExhaustedError(message);
  }
  if (job.state == "NODE_FAIL" || job.state == "BOOT_FAIL") {
    return absl::UnavailableError(message);
  }
  return absl::FailedPreconditionError(message);
}

}  // namespace tao::platforms::slurm
