// The sbatch script that runs one service, and the secret env file beside
// it. Pure text generation: no I/O.
//
// Node port: services on one node share its network, so the port cannot
// be a constant. The driver offers a few candidate ports (random, from a
// range, none that its own live jobs use) and renders the inner command
// once per candidate; the script takes the first candidate no listener on
// the node holds (read from /proc/net/tcp*), writes it to the job's "port"
// file for the driver, and runs the inner command rendered for it. Two jobs
// starting on one node at the same moment could still pick the same free
// port; the loser exits, and the driver reports its output.
#ifndef TAO_PLATFORMS_SLURM_BATCH_SCRIPT_H_
#define TAO_PLATFORMS_SLURM_BATCH_SCRIPT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "platforms/slurm/slurm_settings.h"

namespace tao::platforms::slurm {

// A candidate node port and the inner command rendered for it.
struct PortChoice {
  int port = 0;
  std::string inner_command;
};

struct BatchScriptInputs {
  std::string job_id;
  std::string network_arch;     // for the comments only
  std::string server_instance;  // for the job comment (JobComment)
  std::string image;            // converted to enroot's form for Pyxis
  int num_gpus = 0;             // 0 (or settings.request_gpus false): no --gres
  SlurmSettings settings;
  // Absolute folder on the cluster holding the script, env file, output
  // and port file; must contain no whitespace (it is in #SBATCH lines).
  std::string job_dir;
  std::map<std::string, std::string> env;  // non-secret, written in the script
  std::vector<std::string> secret_names;   // names only (docker -e NAME)
  std::vector<PortChoice> ports;           // at least one
};

// The files of one job inside its folder.
struct JobFiles {
  std::string script;  // job.sbatch
  std::string env;     // job.env: secrets, mode 600, deleted by the job
  std::string output;  // output.log: stdout and stderr of the job
  std::string port;    // port: the node port the job chose
};
JobFiles JobFilesIn(absl::string_view job_dir);

// "tao-<job_id>".
std::string JobName(absl::string_view job_id);
// The job id of a job named by JobName; nothing for other names.
std::optional<std::string> JobIdOfName(absl::string_view name);

// What the job's sbatch --comment tells about it: which server started it
// and what it runs.
struct JobMark {
  std::string server_instance;
  std::string network_arch;
};
// "tao-inference;server=<instance>;arch=<network_arch>", every character
// outside [A-Za-z0-9._-] of the two values replaced by '_' (the comment
// sits in an #SBATCH line and in squeue's '|'-separated output).
std::string JobComment(absl::string_view server_instance,
                       absl::string_view network_arch);
// The mark of a JobComment; nothing for other comments. The values come
// back as JobComment wrote them (so compare with JobMarkValue(x)).
std::optional<JobMark> ParseJobComment(absl::string_view comment);
// `value` as JobComment writes it.
std::string JobMarkValue(absl::string_view value);

// The batch script. Errors: INVALID_ARGUMENT for an env name that is not a
// shell identifier, a job folder with whitespace, or no candidate port.
absl::StatusOr<std::string> BatchScript(const BatchScriptInputs& inputs);

// `export NAME='value'` lines for the job to source. Errors:
// INVALID_ARGUMENT for a name that is not a shell identifier (the value is
// never part of a message).
absl::StatusOr<std::string> SecretEnvFile(
    const std::map<std::string, std::string>& secret_env);

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_BATCH_SCRIPT_H_
