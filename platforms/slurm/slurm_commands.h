// The SLURM client commands (sbatch, scontrol, sacct, squeue, scancel) and the
// few file operations the driver needs on the cluster side, run through a
// CommandRunner, with their output parsed and their errors classified.
#ifndef TAO_PLATFORMS_SLURM_SLURM_COMMANDS_H_
#define TAO_PLATFORMS_SLURM_SLURM_COMMANDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/common/ssh/command_runner.h"
#include "platforms/slurm/job_state.h"

namespace tao::platforms::slurm {

// A runner for the SLURM tools on `login` (this machine when its host is
// empty): local commands keep SLURM_CONF, messages name the login host and
// the settings to check.
CommandRunner LoginRunner(const SshTarget& login, absl::Duration timeout);

// Common errors of every command below: UNAVAILABLE when the login host
// or slurmctld cannot be reached (munge included), FAILED_PRECONDITION
// when the SLURM tools are not installed there.
class SlurmCommands {
 public:
  explicit SlurmCommands(const CommandRunner& runner) : runner_(runner) {}

  // Creates <work_dir>/<job_id> (mode 700; work_dir empty or "~/..." is
  // relative to the cluster user's home) and returns its absolute path.
  absl::StatusOr<std::string> MakeJobDir(const std::string& work_dir,
                                         const std::string& job_id) const;

  // Writes `content` (sent on stdin) to `path` with mode 600.
  absl::Status WritePrivateFile(const std::string& path,
                                const std::string& content) const;

  // sbatch --parsable --export=ALL <script>; the job id. Errors:
  // INVALID_ARGUMENT (partition, account or QOS refused),
  // RESOURCE_EXHAUSTED (a request no node can ever satisfy: GPUs, memory,
  // CPUs, time), FAILED_PRECONDITION (other refusals), with sbatch's words.
  absl::StatusOr<std::string> Submit(const std::string& script_path) const;

  // scontrol show job, then sacct when scontrol no longer knows the job.
  // Nothing when neither knows it.
  absl::StatusOr<std::optional<JobInfo>> Query(const std::string& job_id) const;

  // squeue --me: the cluster user's jobs that have not left the queue
  // (pending, running, completing), in one call.
  absl::StatusOr<std::vector<QueuedJob>> ListJobs() const;

  // scancel; a job already finished or unknown is OK.
  absl::Status Cancel(const std::string& job_id) const;

  // The address of `node` (NodeAddr; the node name when not set).
  absl::StatusOr<std::string> NodeAddress(const std::string& node) const;

  // The file's content; nothing when it does not exist.
  absl::StatusOr<std::optional<std::string>> ReadFile(
      const std::string& path) const;

  // The last `lines` lines. Errors: NOT_FOUND when the file does not exist.
  absl::StatusOr<std::string> Tail(const std::string& path, int lines) const;

  absl::Status RemoveFile(const std::string& path) const;

  const CommandRunner& runner() const { return runner_; }

 private:
  absl::StatusOr<RunResult> Run(const std::string& command_line,
                                const std::string& stdin_text = "") const;

  const CommandRunner& runner_;
};

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_SLURM_COMMANDS_H_
