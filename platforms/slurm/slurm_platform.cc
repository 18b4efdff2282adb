#include "platforms/slurm/slurm_platform.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platforms/common/ssh/command_runner.h"
#include "platforms/slurm/batch_script.h"
#include "platforms/slurm/node_ports.h"
#include "platforms/slurm/slurm_commands.h"

namespace tao::platforms::slurm {
namespace {

std::string Attribute(const Placement& placement, const std::string& key) {
  auto it = placement.attributes.find(key);
  return it == placement.attributes.end() ? std::string() : it->second;
}

int IntAttribute(const Placement& placement, const std::string& key) {
  int value = 0;
  return absl::SimpleAtoi(Attribute(placement, key), &value) ? value : 0;
}

TunnelSpec TunnelOf(const Placement& placement) {
  TunnelSpec spec;
  spec.via = TunnelFromAttributes(placement.attributes);
  spec.host_port = placement.host_port;
  spec.node_addr = Attribute(placement, "node_addr");
  spec.node_port = IntAttribute(placement, "node_port");
  return spec;
}

// Keeps `error`'s code and adds what went wrong while cleaning up.
absl::Status WithCleanupNote(const absl::Status& error,
                             const absl::Status& cleanup,
                             const std::string& job_id) {
  if (cleanup.ok()) return error;
  return absl::Status(error.code(),
                      absl::StrCat(error.message(), "; cancelling SLURM job ",
                                   job_id, " failed too: ", cleanup.message()));
}

}  // namespace

absl::StatusOr<SlurmPlatform::Options> SlurmPlatform::OptionsFromEnvironment() {
  absl::StatusOr<SlurmSettings> defaults =
      SettingsFromEnvironment(ReadProcessEnvironment());
  if (!defaults.ok()) return defaults.status();
  Options options;
  options.defaults = *defaults;
  const char* state_dir = std::getenv("TAO_SLURM_STATE_DIR");
  options.state_dir = state_dir != nullptr && *state_dir != '\0'
                          ? state_dir
                          : absl::StrCat("/tmp/tao-slurm-tunnels-", getuid());
  return options;
}

absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment() {
  absl::StatusOr<SlurmPlatform::Options> options =
      SlurmPlatform::OptionsFromEnvironment();
  if (!options.ok()) return options.status();
  absl::StatusOr<std::unique_ptr<SlurmPlatform>> platform =
      SlurmPlatform::Create(*std::move(options));
  if (!platform.ok()) return platform.status();
  return std::unique_ptr<Platform>(*std::move(platform));
}

absl::StatusOr<std::unique_ptr<SlurmPlatform>> SlurmPlatform::Create(
    Options options) {
  if (options.state_dir.empty()) {
    return absl::InvalidArgumentError("the SLURM platform needs a state_dir");
  }
  return std::unique_ptr<SlurmPlatform>(new SlurmPlatform(std::move(options)));
}

SlurmPlatform::SlurmPlatform(Options options)
    : options_(std::move(options)),
      tunnels_({options_.state_dir, options_.tunnel_timeout}),
      random_(std::random_device{}()) {}

absl::Status SlurmPlatform::ValidateOptions(
    const std::map<std::string, std::string>& options) const {
  SlurmSettings settings = options_.defaults;
  return ApplyOptions(options, settings);
}

std::vector<int> SlurmPlatform::ReservePorts(const SlurmSettings& settings) {
  absl::MutexLock lock(&mu_);
  std::set<int> taken = tunnels_.NodePorts();
  taken.insert(reserved_ports_.begin(), reserved_ports_.end());
  std::vector<int> ports =
      PickNodePorts(settings.node_port_min, settings.node_port_max, taken,
                    options_.node_port_candidates, random_);
  reserved_ports_.insert(ports.begin(), ports.end());
  return ports;
}

void SlurmPlatform::ReleasePorts(const std::vector<int>& ports) {
  absl::MutexLock lock(&mu_);
  for (int port : ports) reserved_ports_.erase(port);
}

absl::StatusOr<Placement> SlurmPlatform::Launch(
    const LaunchSpec& spec, const ProgressCallback& progress) {
  SlurmSettings settings = options_.defaults;
  if (absl::Status s = ApplyOptions(spec.options, settings); !s.ok()) return s;
  if (spec.host_port <= 0) {
    return absl::InvalidArgumentError(
        "the slurm platform needs a host port for its tunnel "
        "(LaunchSpec.host_port)");
  }
  if (!spec.inner_command) {
    return absl::InvalidArgumentError("the launch has no inner command");
  }
  if (spec.image.empty() && settings.runtime != ContainerRuntime::kNone) {
    return absl::InvalidArgumentError(
        absl::StrCat("container runtime ", RuntimeName(settings.runtime),
                     " needs an image"));
  }

  CommandRunner runner = LoginRunner(settings.login, options_.command_timeout);
  SlurmCommands commands(runner);
  JobLauncher launcher(commands, spec, settings, options_.poll, progress);
  const std::vector<int> ports = ReservePorts(settings);
  absl::StatusOr<StartedJob> started = launcher.Run(ports);

  absl::Status error;
  Placement placement;
  if (started.ok()) {
    SshTarget via = settings.login;
    via.host = EffectiveTunnelHost(settings);
    TunnelSpec tunnel{via, spec.host_port, started->node_addr,
                      started->node_port};
    absl::StatusOr<pid_t> pid = tunnels_.Ensure(spec.job_id, tunnel);
    if (pid.ok()) {
      placement.job_id = spec.job_id;
      placement.host_port = spec.host_port;
      placement.host_url = absl::StrCat("http://localhost:", spec.host_port);
      placement.platform_job_id = started->slurm_job_id;
      placement.slurm_node = started->node;
      StoreAccess(settings, placement.attributes);
      placement.attributes["tunnel_pid"] = absl::StrCat(*pid);
      placement.attributes["node_addr"] = started->node_addr;
      placement.attributes["node_port"] = absl::StrCat(started->node_port);
      placement.attributes["job_dir"] = started->job_dir;
      placement.attributes["script_path"] = started->files.script;
      placement.attributes["output_path"] = started->files.output;
      placement.attributes["env_path"] = started->files.env;
      placement.attributes["runtime"] =
          std::string(RuntimeName(settings.runtime));
    } else {
      error = pid.status();
    }
  } else {
    error = started.status();
  }
  ReleasePorts(ports);
  if (error.ok()) return placement;
  return WithCleanupNote(error, launcher.Abandon(),
                         started.ok() ? started->slurm_job_id : "");
}

absl::StatusOr<pid_t> SlurmPlatform::EnsureTunnel(const Placement& placement) {
  TunnelSpec spec = TunnelOf(placement);
  if (spec.node_addr.empty() || spec.node_port <= 0 || spec.host_port <= 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("service ", placement.job_id,
                     " has no node address, node port or host port recorded"));
  }
  return tunnels_.Ensure(placement.job_id, spec,
                         IntAttribute(placement, "tunnel_pid"));
}

absl::StatusOr<RuntimeState> SlurmPlatform::Inspect(
    const Placement& placement) {
  return InspectJob(placement, nullptr);
}

absl::StatusOr<RuntimeState> SlurmPlatform::EnsureReachable(
    Placement& placement) {
  pid_t tunnel_pid = 0;
  absl::StatusOr<RuntimeState> state = InspectJob(placement, &tunnel_pid);
  if (tunnel_pid > 0) {
    placement.attributes["tunnel_pid"] = absl::StrCat(tunnel_pid);
  }
  return state;
}

absl::StatusOr<RuntimeState> SlurmPlatform::InspectJob(
    const Placement& placement, pid_t* tunnel_pid) {
  RuntimeState state;
  if (placement.platform_job_id.empty()) {
    state.phase = RuntimeState::Phase::kMissing;
    state.detail = "no SLURM job id was recorded";
    return state;
  }
  CommandRunner runner = LoginRunner(LoginFromAttributes(placement.attributes),
                                     options_.command_timeout);
  SlurmCommands commands(runner);
  absl::StatusOr<std::optional<JobInfo>> job =
      commands.Query(placement.platform_job_id);
  if (!job.ok()) return job.status();
  if (!job->has_value()) {
    tunnels_.Close(placement.job_id, TunnelOf(placement),
                   IntAttribute(placement, "tunnel_pid"));
    state.phase = RuntimeState::Phase::kMissing;
    state.detail =
        absl::StrCat("SLURM no longer knows job ", placement.platform_job_id);
    return state;
  }
  state = ToRuntimeState(**job);
  if (state.phase == RuntimeState::Phase::kRunning && tunnel_pid != nullptr) {
    absl::StatusOr<pid_t> tunnel = EnsureTunnel(placement);
    if (!tunnel.ok()) {
      return absl::UnavailableError(
          absl::StrCat("SLURM job ", placement.platform_job_id,
                       " runs but its tunnel cannot be re-opened: ",
                       tunnel.status().message()));
    }
    *tunnel_pid = *tunnel;
  } else if (state.phase == RuntimeState::Phase::kExited) {
    tunnels_.Close(placement.job_id, TunnelOf(placement),
                   IntAttribute(placement, "tunnel_pid"));
  }
  return state;
}

absl::Status SlurmPlatform::Terminate(const Placement& placement) {
  tunnels_.Close(placement.job_id, TunnelOf(placement),
                 IntAttribute(placement, "tunnel_pid"));
  if (placement.platform_job_id.empty()) return absl::OkStatus();
  CommandRunner runner = LoginRunner(LoginFromAttributes(placement.attributes),
                                     options_.command_timeout);
  SlurmCommands commands(runner);
  if (absl::Status s = commands.Cancel(placement.platform_job_id); !s.ok()) {
    return s;
  }
  // scancel only asks; wait until the scheduler has marked the job ended,
  // so that a Stop that returned means the job is gone.
  const absl::Time give_up = absl::Now() + options_.cancel_wait;
  absl::Duration interval = options_.poll.min;
  while (absl::Now() < give_up) {
    absl::StatusOr<std::optional<JobInfo>> job =
        commands.Query(placement.platform_job_id);
    if (!job.ok() || !job->has_value() ||
        PhaseOf((*job)->state) == JobPhase::kEnded) {
      break;
    }
    absl::SleepFor(interval);
    interval = std::min(interval * 2, options_.poll.max);
  }
  // A job cancelled while pending never read its secrets.
  const std::string env_path = Attribute(placement, "env_path");
  if (!env_path.empty()) commands.RemoveFile(env_path).IgnoreError();
  return absl::OkStatus();
}

absl::StatusOr<std::string> SlurmPlatform::Logs(const Placement& placement,
                                                int tail_lines) {
  const std::string output = Attribute(placement, "output_path");
  if (output.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no output file was recorded for service ", placement.job_id));
  }
  CommandRunner runner = LoginRunner(LoginFromAttributes(placement.attributes),
                                     options_.command_timeout);
  return SlurmCommands(runner).Tail(output, std::max(tail_lines, 1));
}

absl::StatusOr<std::vector<OwnedWorkload>> SlurmPlatform::ListOwned(
    absl::string_view server_instance) {
  CommandRunner runner =
      LoginRunner(options_.defaults.login, options_.command_timeout);
  absl::StatusOr<std::vector<QueuedJob>> jobs =
      SlurmCommands(runner).ListJobs();
  if (!jobs.ok()) return jobs.status();
  const std::string ours = JobMarkValue(server_instance);
  std::vector<OwnedWorkload> owned;
  for (const QueuedJob& job : *jobs) {
    std::optional<std::string> job_id = JobIdOfName(job.name);
    std::optional<JobMark> mark = ParseJobComment(job.comment);
    if (!job_id.has_value() || !mark.has_value() ||
        mark->server_instance != ours ||
        PhaseOf(job.state) == JobPhase::kEnded) {
      continue;
    }
    OwnedWorkload workload;
    workload.job_id = *job_id;
    workload.network_arch = mark->network_arch;
    workload.detail = absl::StrCat(
        "SLURM job ", job.job_id, " is ", job.state,
        job.node_list.empty() ? "" : absl::StrCat(" on ", job.node_list),
        "; cancel it with `scancel ", job.job_id, "`");
    workload.placement.job_id = *job_id;
    workload.placement.platform_job_id = job.job_id;
    workload.placement.slurm_node = job.node_list;
    StoreAccess(options_.defaults, workload.placement.attributes);
    owned.push_back(std::move(workload));
  }
  return owned;
}

}  // namespace tao::platforms::slurm
