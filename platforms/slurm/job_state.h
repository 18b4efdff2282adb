// What the scheduler says about a job, parsed from `scontrol show job -o`
// (or `sacct -P` once scontrol has forgotten it), and what that means for
// the driver.
#ifndef TAO_PLATFORMS_SLURM_JOB_STATE_H_
#define TAO_PLATFORMS_SLURM_JOB_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platforms/platform.h"

namespace tao::platforms::slurm {

struct JobInfo {
  std::string job_id;
  std::string state;         // e.g. "RUNNING", "CANCELLED"
  std::string reason;        // e.g. "PartitionDown"; empty for "None"
  std::string node_list;     // empty until nodes are allocated
  std::string exit_code;     // "<code>:<signal>", e.g. "0:15"
  std::string cancelled_by;  // sacct's "CANCELLED by <uid>"
};

// One line of `squeue --noheader --format='%i|%j|%T|%N|%Z|%k'`.
struct QueuedJob {
  std::string job_id;
  std::string name;
  std::string state;
  std::string node_list;  // empty while pending
  std::string work_dir;   // --chdir: the job folder for ours
  std::string comment;
};

enum class JobPhase { kPending, kRunning, kEnded };

// PENDING-like states (queued, configuring, requeued, suspended) are
// kPending, RUNNING is kRunning, everything else (COMPLETING, COMPLETED,
// CANCELLED, FAILED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, ...) is kEnded.
JobPhase PhaseOf(absl::string_view state);

// One line of `scontrol show job -o <id>`. Errors: INTERNAL when JobState
// is missing.
absl::StatusOr<JobInfo> ParseScontrolJob(absl::string_view text);

// `sacct -j <id> -X -n -P -o JobID,State,ExitCode,NodeList,Reason`:
// nothing when the output has no line for the job.
std::optional<JobInfo> ParseSacct(absl::string_view text);

// The jobs of that squeue output; lines of another shape are skipped.
std::vector<QueuedJob> ParseSqueue(absl::string_view text);

// NodeAddr of `scontrol show node -o <node>`, or NodeName when it has no
// address. Errors: INTERNAL when neither is there.
absl::StatusOr<std::string> ParseNodeAddress(absl::string_view text);

// "SLURM job 12 is CANCELLED (exit code 0:15)", with the reason and the
// canceller when known.
std::string DescribeJob(const JobInfo& job);

// The RuntimeState of Platform::Inspect: RUNNING -> kRunning, PENDING-like
// -> kPending, the rest -> kExited with the exit code; detail is
// DescribeJob.
RuntimeState ToRuntimeState(const JobInfo& job);

// The Launch error for a job that ended before the service came up:
// OUT_OF_MEMORY -> RESOURCE_EXHAUSTED, NODE_FAIL and BOOT_FAIL ->
// UNAVAILABLE, others -> FAILED_PRECONDITION; `output_tail` (already
// redacted) is appended.
absl::Status EndedBeforeRunning(const JobInfo& job,
                                absl::string_view output_tail);

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_JOB_STATE_H_
