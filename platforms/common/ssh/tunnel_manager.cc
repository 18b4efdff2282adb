#include "platforms/common/ssh/tunnel_manager.h"

#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platforms/common/ports.h"
#include "platforms/common/ssh/command_runner.h"
#include "platforms/common/subprocess.h"

namespace tao::platforms {
namespace {

constexpr absl::Duration kStopGrace = absl::Seconds(2);

std::string LogPath(const std::string& dir, const std::string& job_id) {
  std::string name = job_id;
  for (char& c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      c = '_';
    }
  }
  return absl::StrCat(dir, "/", name, ".tunnel.log");
}

std::string ReadFrom(const std::string& path, std::streamoff offset) {
  std::ifstream in(path);
  in.seekg(offset);
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

std::streamoff FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

std::map<std::string, std::string> SshEnvironment() {
  std::map<std::string, std::string> env;
  for (const char* name :
       {"PATH", "HOME", "USER", "LOGNAME", "SSH_AUTH_SOCK"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
  if (env.find("PATH") == env.end()) env["PATH"] = "/usr/bin:/bin";
  return env;
}

std::string Describe(const TunnelSpec& spec) {
  return absl::StrCat("127.0.0.1:", spec.host_port, " -> ", spec.node_addr, ":",
                      spec.node_port, " via ", spec.via.host);
}

// Whether `pid` still runs exactly this tunnel. Only a process this
// manager spawned is reaped first: waiting on any other pid could steal the
// exit status of some other part of the server that reused the number.
bool Alive(pid_t pid, const TunnelSpec& spec, bool spawned) {
  if (spawned) CheckProcess(pid);
  return TunnelManager::IsTunnelProcess(pid, spec);
}

}  // namespace

std::vector<std::string> TunnelArgv(const TunnelSpec& spec) {
  std::vector<std::string> argv = SshOptions(spec.via);
  const std::string target = spec.node_addr.find(':') == std::string::npos
                                 ? spec.node_addr
                                 : absl::StrCat("[", spec.node_addr, "]");
  argv.insert(argv.end(),
              {"-N", "-o", "ExitOnForwardFailure=yes", "-o",
               "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3", "-L",
               absl::StrCat("127.0.0.1:", spec.host_port, ":", target, ":",
                            spec.node_port),
               spec.via.host});
  return argv;
}

bool TunnelManager::IsTunnelProcess(pid_t pid, const TunnelSpec& spec) {
  if (pid <= 0 || kill(pid, 0) != 0) return false;
  std::ifstream in(absl::StrCat("/proc/", pid, "/cmdline"), std::ios::binary);
  std::stringstream raw;
  raw << in.rdbuf();
  std::vector<std::string> argv =
      absl::StrSplit(raw.str(), '\0', absl::SkipEmpty());
  std::vector<std::string> expected = TunnelArgv(spec);
  if (argv.size() != expected.size()) return false;
  // Spawn resolved argv[0] through PATH: compare its base name only.
  const std::string& program = argv[0];
  const size_t slash = program.rfind('/');
  if (program.substr(slash == std::string::npos ? 0 : slash + 1) != "ssh") {
    return false;
  }
  return std::equal(argv.begin() + 1, argv.end(), expected.begin() + 1);
}

absl::StatusOr<pid_t> TunnelManager::Ensure(const std::string& job_id,
                                            const TunnelSpec& spec,
                                            pid_t known_pid) {
  absl::MutexLock lock(&mu_);
  auto it = tunnels_.find(job_id);
  if (it != tunnels_.end()) {
    const Tunnel& tunnel = it->second;
    if (TunnelArgv(tunnel.spec) == TunnelArgv(spec) &&
        Alive(tunnel.pid, spec, tunnel.spawned)) {
      return tunnel.pid;
    }
    if (Alive(tunnel.pid, tunnel.spec, tunnel.spawned)) {
      StopProcessGroup(tunnel.pid, kStopGrace).IgnoreError();
    }
    tunnels_.erase(it);
  }
  if (known_pid > 0 && Alive(known_pid, spec, /*spawned=*/false)) {
    tunnels_[job_id] = {known_pid, spec, /*spawned=*/false};
    return known_pid;
  }
  return Open(job_id, spec);
}

absl::StatusOr<pid_t> TunnelManager::Open(const std::string& job_id,
                                          const TunnelSpec& spec) {
  if (mkdir(options_.log_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::InternalError(absl::StrCat("cannot create ", options_.log_dir,
                                            ": ", std::strerror(errno)));
  }
  if (!IsPortBindable(spec.host_port)) {
    return absl::UnavailableError(
        absl::StrCat("host port ", spec.host_port,
                     " is already in use on this machine; cannot open tunnel ",
                     Describe(spec)));
  }
  SpawnOptions spawn;
  spawn.argv = TunnelArgv(spec);
  spawn.env = SshEnvironment();
  spawn.output_path = LogPath(options_.log_dir, job_id);
  const std::streamoff log_start = FileSize(spawn.output_path);
  absl::StatusOr<pid_t> pid = Spawn(spawn);
  if (!pid.ok()) return pid.status();

  const absl::Time give_up = absl::Now() + options_.open_timeout;
  while (true) {
    ProcessStatus status = CheckProcess(*pid);
    if (!status.running) {
      return absl::UnavailableError(absl::StrCat(
          "ssh tunnel ", Describe(spec), " exited with code ", status.exit_code,
          ": ", ReadFrom(spawn.output_path, log_start)));
    }
    // ssh binds the local end only after it has logged in.
    if (!IsPortBindable(spec.host_port)) break;
    if (absl::Now() > give_up) {
      StopProcessGroup(*pid, kStopGrace).IgnoreError();
      return absl::UnavailableError(
          absl::StrCat("ssh tunnel ", Describe(spec), " did not listen within ",
                       absl::FormatDuration(options_.open_timeout), ": ",
                       ReadFrom(spawn.output_path, log_start)));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  tunnels_[job_id] = {*pid, spec, /*spawned=*/true};
  return *pid;
}

void TunnelManager::Close(const std::string& job_id, const TunnelSpec& spec,
                          pid_t known_pid) {
  absl::MutexLock lock(&mu_);
  pid_t closed = 0;
  auto it = tunnels_.find(job_id);
  if (it != tunnels_.end()) {
    closed = it->second.pid;
    if (Alive(closed, it->second.spec, it->second.spawned)) {
      StopProcessGroup(closed, kStopGrace).IgnoreError();
    }
    tunnels_.erase(it);
  }
  if (known_pid > 0 && known_pid != closed &&
      Alive(known_pid, spec, /*spawned=*/false)) {
    StopProcessGroup(known_pid, kStopGrace).IgnoreError();
  }
}

std::set<int> TunnelManager::NodePorts() const {
  absl::MutexLock lock(&mu_);
  std::set<int> ports;
  for (const auto& entry : tunnels_) ports.insert(entry.second.spec.node_port);
  return ports;
}

}  // namespace tao::platforms
