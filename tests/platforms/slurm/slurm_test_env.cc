#include "tests/platforms/slurm/slurm_test_env.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "platforms/common/shell_quote.h"
#include "platforms/common/subprocess.h"
#include "platforms/slurm/slurm_commands.h"
#include "tests/support/free_port.h"
#include "tests/support/test_sshd.h"

namespace tao::platforms::slurm::testing {
namespace {

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

}  // namespace

bool SlurmRequired() { return std::getenv("TAO_REQUIRE_SLURM") != nullptr; }

absl::StatusOr<SlurmTestEnv> FindSlurmTestEnv() {
  // Fast checks only: every test case of a binary runs this in its own
  // process. Without a configuration the tools would go looking for a
  // configless controller, which takes long.
  const std::string conf = Env("SLURM_CONF", "/etc/slurm/slurm.conf");
  if (access(conf.c_str(), R_OK) != 0) {
    return absl::UnavailableError(
        absl::StrCat("no SLURM configuration at ", conf,
                     " (run scripts/setup-slurm and scripts/slurm-up)"));
  }
  absl::StatusOr<RunResult> ping = Run({"scontrol", "ping"}, absl::Seconds(10));
  if (!ping.ok() || ping->exit_code != 0 ||
      !absl::StrContains(ping->output, "is UP")) {
    return absl::UnavailableError(
        absl::StrCat("slurmctld does not answer (run scripts/slurm-up): ",
                     ping.ok() ? ping->output : ping.status().ToString()));
  }
  absl::StatusOr<SshTarget> sshd = tests::TestSshd();
  if (!sshd.ok()) {
    return absl::UnavailableError(
        absl::StrCat(sshd.status().message(), " (needed for the tunnels)"));
  }
  SlurmTestEnv env;
  env.sshd = *std::move(sshd);
  CommandRunner probe = LoginRunner(env.sshd, absl::Seconds(20));
  absl::StatusOr<RunResult> login = probe.Run("true");
  if (!login.ok() || login->exit_code != 0) {
    return absl::UnavailableError(
        absl::StrCat("the test sshd refuses logins (run scripts/sshd-up): ",
                     login.ok() ? login->output : login.status().ToString()));
  }
  return env;
}

int FreeHostPort() { return tests::FreeTcpPort(); }

std::string Shell(const std::string& command) {
  absl::StatusOr<RunResult> result =
      Run({"/bin/sh", "-c", command}, absl::Seconds(30));
  return result.ok() ? result->output : result.status().ToString();
}

std::string JobsNamed(const std::string& name) {
  return std::string(absl::StripAsciiWhitespace(Shell(
      absl::StrCat("squeue -h -t all -o '%i|%T' --name=", ShellQuote(name)))));
}

std::string ScontrolState(const std::string& slurm_job_id) {
  const std::string out =
      Shell(absl::StrCat("scontrol show job -o ", ShellQuote(slurm_job_id)));
  for (absl::string_view token : absl::StrSplit(out, ' ')) {
    if (absl::ConsumePrefix(&token, "JobState=")) return std::string(token);
  }
  return "";
}

std::string SettledJobState(const std::string& slurm_job_id) {
  std::string state = ScontrolState(slurm_job_id);
  for (int i = 0; i < 300 && state == "COMPLETING"; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    state = ScontrolState(slurm_job_id);
  }
  return state;
}

std::string JobIdNamed(const std::string& name) {
  const std::string jobs = JobsNamed(name);
  return jobs.substr(0, jobs.find('|'));
}

std::vector<pid_t> ForwardingProcesses(int host_port) {
  std::vector<pid_t> pids;
  const std::string forward = absl::StrCat("127.0.0.1:", host_port, ":");
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return pids;
  while (dirent* entry = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    std::ifstream in(absl::StrCat("/proc/", pid, "/cmdline"), std::ios::binary);
    std::stringstream raw;
    raw << in.rdbuf();
    std::vector<std::string> argv =
        absl::StrSplit(raw.str(), '\0', absl::SkipEmpty());
    if (argv.empty() || !absl::EndsWith(argv[0], "ssh")) continue;
    for (const std::string& arg : argv) {
      if (absl::StartsWith(arg, forward)) pids.push_back(pid);
    }
  }
  closedir(proc);
  return pids;
}

absl::StatusOr<std::string> MakeTestRoot() {
  std::string root_template = "/tmp/tao-slurm-test-XXXXXX";
  if (mkdtemp(root_template.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", strerror(errno)));
  }
  const std::string root = root_template;
  const std::string bin = root + "/bin";
  if (chmod(root.c_str(), 0755) != 0 || mkdir(bin.c_str(), 0755) != 0) {
    return absl::InternalError(absl::StrCat(root, ": ", strerror(errno)));
  }
  for (const char* entry :
       {"cosmos-rl-inference-microservice", "cosmos_predict"}) {
    const std::string link = absl::StrCat(bin, "/", entry);
    if (symlink(TAO_REFERENCE_BACKEND_PATH, link.c_str()) != 0) {
      return absl::InternalError(absl::StrCat(link, ": ", strerror(errno)));
    }
  }
  return root;
}

}  // namespace tao::platforms::slurm::testing
