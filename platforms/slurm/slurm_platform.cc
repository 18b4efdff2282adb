#include "platforms/slurm/slurm_platform.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "platforms/common/ssh/command_runner.h"
#include "platforms/slurm/batch_script.h"
#include "platforms/slurm/job_placement.h"
#include "platforms/slurm/node_ports.h"
#include "platforms/slurm/slurm_commands.h"

namespace tao::platforms::slurm {
namespace {

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
  return CreateDriver<SlurmPlatform>(SlurmPlatform::OptionsFromEnvironment());
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
      placement = SubmittedPlacement(spec, settings, *started);
      AddNode(*started, placement);
      placement.attributes["tunnel_pid"] = absl::StrCat(*pid);
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
  Placement copy = placement;
  return InspectJob(copy, /*repair=*/false);
}

absl::StatusOr<RuntimeState> SlurmPlatform::EnsureReachable(
    Placement& placement) {
  return InspectJob(placement, /*repair=*/true);
}

absl::StatusOr<RuntimeState> SlurmPlatform::InspectJob(Placement& placement,
                                                       bool repair) {
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
  if (state.phase == RuntimeState::Phase::kRunning && repair) {
    if (LacksNode(placement)) {
      // A restart cut the launch short before it learnt the node: finish
      // what the launch would have done.
      absl::StatusOr<bool> found = FindNode(commands, **job, placement);
      if (!found.ok()) return found.status();
      if (!*found) {
        state.phase = RuntimeState::Phase::kPending;
        state.detail = absl::StrCat("SLURM job ", placement.platform_job_id,
                                    " runs; its service port is not known "
                                    "yet");
        return state;
      }
    }
    absl::StatusOr<pid_t> tunnel = EnsureTunnel(placement);
    if (!tunnel.ok()) {
      return absl::UnavailableError(
          absl::StrCat("SLURM job ", placement.platform_job_id,
                       " runs but its tunnel cannot be re-opened: ",
                       tunnel.status().message()));
    }
    placement.attributes["tunnel_pid"] = absl::StrCat(*tunnel);
  } else if (state.phase == RuntimeState::Phase::kExited) {
    tunnels_.Close(placement.job_id, TunnelOf(placement),
                   IntAttribute(placement, "tunnel_pid"));
  }
  return state;
}

absl::StatusOr<bool> SlurmPlatform::FindNode(const SlurmCommands& commands,
                                             const JobInfo& job,
                                             Placement& placement) {
  const std::string job_dir = Attribute(placement, "job_dir");
  if (job_dir.empty() || job.node_list.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "SLURM job ", placement.platform_job_id,
        " runs, but neither the registry nor squeue tell its job folder; "
        "cancel it with `scancel ",
        placement.platform_job_id, "` and start the service again"));
  }
  absl::StatusOr<std::optional<std::string>> text =
      commands.ReadFile(JobFilesIn(job_dir).port);
  if (!text.ok()) return text.status();
  int port = 0;
  if (!text->has_value() ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(**text), &port) ||
      port <= 0) {
    return false;  // the job writes it first thing; not yet
  }
  absl::StatusOr<std::string> address = commands.NodeAddress(job.node_list);
  if (!address.ok()) return address.status();
  StartedJob started;
  started.node = job.node_list;
  started.node_addr = *address;
  started.node_port = port;
  AddNode(started, placement);
  if (placement.host_url.empty() && placement.host_port > 0) {
    placement.host_url = absl::StrCat("http://localhost:", placement.host_port);
  }
  return true;
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
    if (!job.work_dir.empty()) {  // our jobs run in their job folder
      const JobFiles files = JobFilesIn(job.work_dir);
      workload.placement.attributes["job_dir"] = job.work_dir;
      workload.placement.attributes["script_path"] = files.script;
      workload.placement.attributes["output_path"] = files.output;
      workload.placement.attributes["env_path"] = files.env;
    }
    owned.push_back(std::move(workload));
  }
  return owned;
}

}  // namespace tao::platforms::slurm
