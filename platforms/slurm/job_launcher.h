// One Launch on SLURM, from writing the job's files to a RUNNING job whose
// node and node port are known: job folder, secret env file (stdin, mode
// 600), batch script, sbatch, then polling the scheduler until RUNNING (or
// an end state, or the deadline) and reading the port the job chose.
#ifndef TAO_PLATFORMS_SLURM_JOB_LAUNCHER_H_
#define TAO_PLATFORMS_SLURM_JOB_LAUNCHER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/platform.h"
#include "platforms/slurm/batch_script.h"
#include "platforms/slurm/job_state.h"
#include "platforms/slurm/slurm_commands.h"
#include "platforms/slurm/slurm_settings.h"

namespace tao::platforms::slurm {

// Scheduler polling: the interval starts at `min` and doubles up to `max`
// (jobs usually start at once; long queues are not polled hard).
struct PollIntervals {
  absl::Duration min = absl::Milliseconds(200);
  absl::Duration max = absl::Seconds(5);
};

struct StartedJob {
  std::string slurm_job_id;
  std::string node;       // SLURM node name
  std::string node_addr;  // its address (scontrol NodeAddr)
  int node_port = 0;
  std::string job_dir;
  JobFiles files;
};

class JobLauncher {
 public:
  JobLauncher(const SlurmCommands& commands, const LaunchSpec& spec,
              const SlurmSettings& settings, PollIntervals poll,
              const ProgressCallback& progress)
      : commands_(commands),
        spec_(spec),
        settings_(settings),
        poll_(poll),
        progress_(progress) {}

  // Submits the job offering `node_ports` and waits until it runs.
  // Errors: those of SlurmCommands::Submit; FAILED_PRECONDITION (or
  // RESOURCE_EXHAUSTED, UNAVAILABLE) when the job ended first, with its
  // state, reason and last output lines; DEADLINE_EXCEEDED when it was
  // still pending (with the scheduler's reason) at spec.deadline. The job
  // is left as it is: call Abandon() on error. CANCELLED when
  // spec.cancelled() turns true. Once sbatch has answered, the progress
  // callback gets the job's placement (SubmittedPlacement).
  absl::StatusOr<StartedJob> Run(const std::vector<int>& node_ports);

  // Cancels the job when it was submitted and removes its secret env file,
  // so that nothing is left behind. Errors: those of scancel.
  absl::Status Abandon();

 private:
  absl::Status Submit(const std::vector<int>& node_ports);
  absl::StatusOr<JobInfo> WaitUntilRunning();
  absl::StatusOr<int> WaitForPort();
  // Sleeps for the next poll interval (less once cancelled); false when
  // the deadline has passed.
  bool SleepBeforeNextPoll(absl::Duration& interval) const;
  // LaunchSpec::cancelled, and the error a cancelled launch ends with.
  bool Cancelled() const;
  absl::Status CancelledError() const;
  std::string OutputTail() const;
  std::string Redacted(std::string text) const;
  void Report(const std::string& message) const;

  const SlurmCommands& commands_;
  const LaunchSpec& spec_;
  const SlurmSettings& settings_;
  const PollIntervals poll_;
  const ProgressCallback& progress_;
  StartedJob started_;
};

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_JOB_LAUNCHER_H_
