// The real single-node SLURM cluster and loopback sshd the SLURM driver's
// tests run against (started by scripts/slurm-up and scripts/sshd-up), and
// small helpers: free host ports, HTTP GET through a tunnel, scheduler
// queries made by the test itself, ssh processes that forward a port.
#ifndef TAO_TESTS_PLATFORMS_SLURM_SLURM_TEST_ENV_H_
#define TAO_TESTS_PLATFORMS_SLURM_SLURM_TEST_ENV_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platforms/slurm/slurm_settings.h"
#include "tests/support/http_get.h"

namespace tao::platforms::slurm::testing {

struct SlurmTestEnv {
  // The login account of the loopback sshd (SLURM_HOSTNAME=127.0.0.1,
  // SLURM_USER, SSH_KEY_PATH, SLURM_SSH_PORT, SLURM_SSH_KNOWN_HOSTS from
  // $TAO_SSHD_DIR/sshd.env).
  SshTarget sshd;
};

// The environment, or why it is not usable (SLURM not answering, sshd not
// started or refusing the key).
absl::StatusOr<SlurmTestEnv> FindSlurmTestEnv();

// True when the test must fail instead of skipping (TAO_REQUIRE_SLURM set).
bool SlurmRequired();

// A TCP port free on 127.0.0.1 right now.
int FreeHostPort();

// HTTP calls the tests make themselves (tests/support/http_get.h).
using tests::HttpAnswer;
using tests::HttpGet;
using tests::HttpGetUntilOk;

// Runs a shell command here and returns its output (exit code ignored).
std::string Shell(const std::string& command);

// "<id>|<state>" lines of squeue for jobs named `name`, finished ones
// included (-t all).
std::string JobsNamed(const std::string& name);

// The JobState of `scontrol show job <id>`.
std::string ScontrolState(const std::string& slurm_job_id);

// The JobState once the job is no longer COMPLETING (a cancelled job passes
// through it while its processes are killed); empty when SLURM has
// forgotten the job. Waits up to 30 s.
std::string SettledJobState(const std::string& slurm_job_id);

// The id of the one job named `name` (see JobsNamed); empty if none.
std::string JobIdNamed(const std::string& name);

// Pids of ssh processes whose command line forwards 127.0.0.1:<host_port>.
std::vector<pid_t> ForwardingProcesses(int host_port);

// A folder for one test (mode 755 so that the sshd login user can reach
// the bin folder in it): <root>/bin holds the reference backend under the
// containers' entry-point names.
absl::StatusOr<std::string> MakeTestRoot();

}  // namespace tao::platforms::slurm::testing

#endif  // TAO_TESTS_PLATFORMS_SLURM_SLURM_TEST_ENV_H_
