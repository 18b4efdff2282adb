#include "platforms/brev/brev_platform.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "platforms/brev/brev_instances.h"
#include "platforms/brev/remote_container.h"
#include "platforms/common/log.h"
#include "platforms/common/ports.h"
#include "platforms/common/redactor.h"
#include "platforms/launch_wait.h"

namespace tao::platforms::brev {
namespace {

using Phase = RuntimeState::Phase;

constexpr char kScopePrefix[] = "brev:";

// `error`, which also says so when cleaning up after it failed.
absl::Status WithCleanup(absl::Status error, const absl::Status& cleanup) {
  if (cleanup.ok() || absl::IsNotFound(cleanup)) return error;
  return absl::Status(error.code(), absl::StrCat(error.message(),
                                                 "; removing what it made "
                                                 "failed too: ",
                                                 cleanup.message()));
}

std::string Option(const std::map<std::string, std::string>& options,
                   const std::string& key) {
  auto it = options.find(key);
  return it == options.end() ? std::string() : it->second;
}

std::string Attribute(const Placement& placement, const std::string& key) {
  auto it = placement.attributes.find(key);
  return it == placement.attributes.end() ? std::string() : it->second;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// The instance a Start without instance_id gets: "tao-" + the job id's
// first 12 hex digits (a valid, unique enough instance name).
std::string NewInstanceName(const std::string& job_id) {
  std::string hex;
  for (char c : job_id) {
    if (absl::ascii_isxdigit(c)) hex.push_back(absl::ascii_tolower(c));
    if (hex.size() == 12) break;
  }
  return absl::StrCat("tao-", hex);
}

std::string InstanceOf(const LaunchSpec& spec) {
  const std::string named = Option(spec.options, "instance_id");
  return named.empty() ? NewInstanceName(spec.job_id) : named;
}

absl::Status CancelledLaunch(const std::string& job_id) {
  return absl::CancelledError(absl::StrCat(
      "the launch of ", job_id,
      " on brev was cancelled (the service was stopped or tao-inferd shut "
      "down); its container was removed"));
}

}  // namespace

absl::StatusOr<BrevPlatform::Options> BrevPlatform::OptionsFromEnvironment() {
  Options options;
  options.cli.api_token = Env("BREV_API_TOKEN");
  if (std::string bin = Env("BREV_BIN"); !bin.empty()) options.cli.binary = bin;
  options.cli.keep_env =
      absl::StrSplit(Env("TAO_BREV_KEEP_ENV"), ',', absl::SkipEmpty());
  options.ssh_config = Env("TAO_BREV_SSH_CONFIG");
  if (options.ssh_config.empty()) {
    options.ssh_config = absl::StrCat(Env("HOME"), "/.brev/ssh_config");
  }
  const std::string keep = Env("TAO_BREV_KEEP_INSTANCES");
  if (!keep.empty() && keep != "0" && keep != "1") {
    return absl::InvalidArgumentError(
        absl::StrCat("TAO_BREV_KEEP_INSTANCES: \"", keep, "\" is not 0 or 1"));
  }
  options.keep_instances = keep == "1";
  const std::string gpus = Env("TAO_BREV_GPUS");
  if (!gpus.empty() && gpus != "none" && gpus != "requested") {
    return absl::InvalidArgumentError(
        absl::StrCat("TAO_BREV_GPUS: \"", gpus, "\" is not none or requested"));
  }
  options.request_gpus = gpus != "none";
  options.default_gpu = Env("TAO_BREV_GPU");
  if (absl::StatusOr<CreateChoice> choice =
          CreateChoiceForGpu(options.default_gpu);
      !choice.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("TAO_BREV_GPU: ", choice.status().message()));
  }
  options.tunnel_dir = Env("TAO_BREV_TUNNEL_DIR");
  if (options.tunnel_dir.empty()) {
    options.tunnel_dir = absl::StrCat("/tmp/tao-brev-tunnels-", getuid());
  }
  return options;
}

absl::StatusOr<std::unique_ptr<BrevPlatform>> BrevPlatform::Create(
    Options options) {
  if (options.ssh_config.empty()) {
    return absl::InvalidArgumentError("no ssh config for the brev instances");
  }
  return std::unique_ptr<BrevPlatform>(new BrevPlatform(std::move(options)));
}

absl::StatusOr<std::unique_ptr<Platform>> CreateFromEnvironment() {
  return CreateDriver<BrevPlatform>(BrevPlatform::OptionsFromEnvironment());
}

BrevPlatform::BrevPlatform(Options options)
    : options_(std::move(options)),
      cli_(options_.cli),
      tunnels_(TunnelManager::Options{options_.tunnel_dir}) {}

std::string BrevPlatform::HostPortScope(const LaunchSpec& spec) const {
  return absl::StrCat(kScopePrefix, InstanceOf(spec));
}

std::string BrevPlatform::HostPortScopeOf(const Placement& placement) const {
  return absl::StrCat(kScopePrefix, placement.instance_id);
}

absl::Status BrevPlatform::ValidateOptions(
    const std::map<std::string, std::string>& options) const {
  for (const auto& [key, value] : options) {
    if (value.empty()) continue;
    if (key == "instance_id") {
      if (!IsInstanceName(value)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "brev.instance_id: \"", value,
            "\" is not a Brev instance name (`brev ls` lists them)"));
      }
    } else if (key == "gpu") {
      if (absl::StatusOr<CreateChoice> choice = CreateChoiceForGpu(value);
          !choice.ok()) {
        return choice.status();
      }
    } else if (key == "cloud_cred_id" || key == "workspace_group_id") {
      // [B] brev create has no such flags: brev picks the workspace group
      // from the instance type (brev-cli.md §4).
      return absl::InvalidArgumentError(absl::StrCat(
          "brev.", key,
          ": the brev CLI has no such setting (brev create picks it from the "
          "instance type); leave it empty and choose the machine with "
          "brev.gpu"));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          key, ": not an option of platform brev (instance_id, gpu)"));
    }
  }
  return absl::OkStatus();
}

CommandRunner BrevPlatform::RunnerFor(const std::string& instance,
                                      const std::string& ssh_config) const {
  SshTarget target;
  target.host = instance;
  target.config_file = ssh_config.empty() ? options_.ssh_config : ssh_config;
  RunnerContext context;
  context.what = "docker command";
  context.host_role = "brev instance";
  context.unreachable_hint = absl::StrCat(
      "check `brev ls` and that `brev refresh` wrote its alias to ",
      target.config_file);
  return CommandRunner(target, options_.command_timeout, context);
}

absl::Status BrevPlatform::AwaitInstance(const std::string& name,
                                         const LaunchSpec& spec,
                                         const ProgressCallback& progress) {
  LaunchSpec bounded = spec;
  bounded.deadline =
      std::min(spec.deadline, absl::Now() + options_.instance_wait);
  absl::Duration interval = options_.poll_min;
  std::string last;
  bool refreshed = false;
  while (true) {
    absl::StatusOr<BrevInstance> instance = cli_.Find(name);
    if (!instance.ok()) return instance.status();
    const InstanceStanding standing = StandingOf(*instance);
    if (standing == InstanceStanding::kFailed ||
        standing == InstanceStanding::kGoing) {
      return absl::FailedPreconditionError(absl::StrCat(
          "brev instance ", name, " is ", instance->status,
          instance->build_status.empty()
              ? ""
              : absl::StrCat(" (build ", instance->build_status, ")"),
          "; check it with `brev ls`"));
    }
    if (standing == InstanceStanding::kRunning) {
      // RUNNING comes before sshd answers ([K]): its alias first, then a
      // command.
      if (!refreshed) {
        if (absl::Status s = cli_.Refresh(); !s.ok()) return s;
        refreshed = true;
      }
      absl::StatusOr<RunResult> echo = RunnerFor(name, "").Run("echo ok");
      if (echo.ok() && echo->exit_code == 0 &&
          absl::StrContains(echo->output, "ok")) {
        return absl::OkStatus();
      }
      const std::string now = "RUNNING; waiting for ssh to answer";
      if (now != last) {
        last = now;
        ReportProgress(progress, ProgressEvent::Phase::kStarting,
                       absl::StrCat("brev instance ", name, ": ", now));
      }
    } else if (instance->status != last) {
      last = instance->status;
      ReportProgress(progress, ProgressEvent::Phase::kStarting,
                     absl::StrCat("brev instance ", name, ": ", last));
    }
    if (!PauseLaunch(bounded, interval, options_.poll_max)) {
      if (LaunchCancelled(spec)) return CancelledLaunch(spec.job_id);
      return absl::DeadlineExceededError(
          absl::StrCat("brev instance ", name,
                       " was not reachable over ssh in time (", last, ")"));
    }
  }
}

absl::StatusOr<std::string> BrevPlatform::InstanceFor(
    const LaunchSpec& spec, const ProgressCallback& progress, bool* created) {
  const std::string named = Option(spec.options, "instance_id");
  *created = named.empty();
  const std::string name = InstanceOf(spec);
  if (!named.empty()) {
    absl::StatusOr<BrevInstance> instance = cli_.Find(named);
    if (!instance.ok()) return instance.status();
    if (StandingOf(*instance) == InstanceStanding::kStopped) {
      ReportProgress(progress, ProgressEvent::Phase::kStarting,
                     absl::StrCat("starting brev instance ", named));
      if (absl::Status s = cli_.Start(named); !s.ok()) return s;
    }
  } else {
    std::string gpu = Option(spec.options, "gpu");
    if (gpu.empty()) gpu = options_.default_gpu;
    absl::StatusOr<CreateChoice> choice = CreateChoiceForGpu(gpu);
    if (!choice.ok()) return choice.status();
    ReportProgress(progress, ProgressEvent::Phase::kStarting,
                   absl::StrCat("creating brev instance ", name));
    if (absl::Status s = cli_.Create(name, *choice); !s.ok()) return s;
  }
  if (absl::Status s = AwaitInstance(name, spec, progress); !s.ok()) {
    return s;
  }
  return name;
}

TunnelSpec BrevPlatform::TunnelOf(const Placement& placement) const {
  TunnelSpec spec;
  spec.via.host = placement.instance_id;
  spec.via.config_file = Attribute(placement, "ssh_config");
  if (spec.via.config_file.empty()) spec.via.config_file = options_.ssh_config;
  (void)absl::SimpleAtoi(Attribute(placement, "local_port"), &spec.host_port);
  // Where `docker port` said the port is published on the instance.
  spec.node_addr = Attribute(placement, "remote_addr");
  if (spec.node_addr.empty()) spec.node_addr = "127.0.0.1";
  spec.node_port = placement.host_port;
  return spec;
}

absl::StatusOr<pid_t> BrevPlatform::EnsureTunnel(const Placement& placement) {
  int known = 0;
  (void)absl::SimpleAtoi(Attribute(placement, "tunnel_pid"), &known);
  return tunnels_.Ensure(placement.job_id, TunnelOf(placement),
                         static_cast<pid_t>(known));
}

absl::StatusOr<Placement> BrevPlatform::Launch(
    const LaunchSpec& spec, const ProgressCallback& progress) {
  if (absl::Status s = ValidateOptions(spec.options); !s.ok()) return s;
  if (!spec.inner_command) {
    return absl::InvalidArgumentError("the launch has no inner command");
  }
  if (spec.host_port <= 0) {
    return absl::InvalidArgumentError(
        "a brev service needs a host port on its instance");
  }
  absl::StatusOr<std::string> command =
      spec.inner_command(kDefaultContainerPort);
  if (!command.ok()) return command.status();
  if (LaunchCancelled(spec)) return CancelledLaunch(spec.job_id);
  if (absl::Now() >= spec.deadline) {
    return absl::DeadlineExceededError(
        "the Start deadline passed before a brev instance was chosen");
  }

  bool created = false;
  absl::StatusOr<std::string> instance = InstanceFor(spec, progress, &created);
  if (!instance.ok()) {
    // An instance made for this service and never used must not be left
    // (and billed); a failed create made none (NOT_FOUND).
    if (!created || options_.keep_instances) return instance.status();
    return WithCleanup(instance.status(), cli_.Delete(InstanceOf(spec)));
  }

  Placement placement;
  placement.job_id = spec.job_id;
  placement.instance_id = *instance;
  placement.host_port = spec.host_port;
  placement.attributes["ssh_config"] = options_.ssh_config;
  if (created) placement.attributes["created_instance"] = "1";
  auto fail = [&](absl::Status error) {
    return WithCleanup(std::move(error), Terminate(placement));
  };
  // Before the container runs: a server killed from here on finds the
  // instance, and the container by its name.
  ReportPlacement(progress,
                  absl::StrCat("starting container ", spec.job_id,
                               " on brev instance ", *instance),
                  placement);

  RemoteContainer container;
  container.job_id = spec.job_id;
  container.network_arch = spec.network_arch;
  container.server_instance = spec.server_instance;
  container.image = spec.image;
  container.inner_command = *command;
  container.env = spec.env;
  for (const auto& [name, value] : spec.secret_env) {
    container.secret_names.push_back(name);
  }
  container.host_port = spec.host_port;
  container.num_gpus = options_.request_gpus ? spec.num_gpus : 0;
  container.shm_size_bytes = options_.shm_size_bytes;
  absl::StatusOr<std::string> script = RunScript(container);
  if (!script.ok()) return fail(script.status());
  absl::StatusOr<std::string> secrets = SecretEnvFile(spec.secret_env);
  if (!secrets.ok()) return fail(secrets.status());
  const CommandRunner runner = RunnerFor(*instance, "");
  absl::StatusOr<RunResult> ran = runner.Run(*script, *secrets);
  if (!ran.ok()) return fail(ran.status());
  if (ran->exit_code != 0) {
    return fail(absl::FailedPreconditionError(
        absl::StrCat("docker run on brev instance ", *instance,
                     " failed (exit ", ran->exit_code, "): ",
                     Redactor::ForValues(spec.secret_env)
                         .Redact(absl::StripAsciiWhitespace(ran->output)))));
  }

  // The container runs once docker says so; then the tunnel to it.
  absl::Duration interval = options_.poll_min;
  while (true) {
    if (LaunchCancelled(spec)) return fail(CancelledLaunch(spec.job_id));
    absl::StatusOr<RuntimeState> state = Inspect(placement);
    if (!state.ok()) return fail(state.status());
    if (state->phase == Phase::kRunning) break;
    if (state->phase == Phase::kExited || state->phase == Phase::kMissing) {
      absl::StatusOr<std::string> tail = Logs(placement, 20);
      return fail(absl::FailedPreconditionError(absl::StrCat(
          "container ", spec.job_id, " on brev instance ", *instance,
          " stopped at once: ", state->detail,
          tail.ok() && !tail->empty()
              ? absl::StrCat("; last output:\n",
                             Redactor::ForValues(spec.secret_env).Redact(*tail))
              : "")));
    }
    if (!PauseLaunch(spec, interval, options_.poll_max)) {
      if (LaunchCancelled(spec)) return fail(CancelledLaunch(spec.job_id));
      return fail(absl::DeadlineExceededError(absl::StrCat(
          "container ", spec.job_id, " was not running by the deadline")));
    }
  }
  if (absl::Status opened = OpenTunnel(placement); !opened.ok()) {
    return fail(opened);
  }
  if (LaunchCancelled(spec)) return fail(CancelledLaunch(spec.job_id));
  ReportProgress(progress, ProgressEvent::Phase::kStarting,
                 absl::StrCat("container ", spec.job_id,
                              " runs on brev "
                              "instance ",
                              *instance, "; tunnel at ", placement.host_url));
  return placement;
}

absl::StatusOr<RuntimeState> BrevPlatform::Inspect(const Placement& placement) {
  RuntimeState state;
  if (placement.instance_id.empty()) {
    state.phase = Phase::kMissing;
    state.detail = "no brev instance was recorded";
    return state;
  }
  absl::StatusOr<BrevInstance> instance = cli_.Find(placement.instance_id);
  if (absl::IsNotFound(instance.status())) {
    state.phase = Phase::kMissing;
    state.detail =
        absl::StrCat("brev instance ", placement.instance_id, " is gone");
    return state;
  }
  if (!instance.ok()) return instance.status();
  const InstanceStanding standing = StandingOf(*instance);
  if (standing != InstanceStanding::kRunning) {
    state.phase = standing == InstanceStanding::kStarting ? Phase::kPending
                                                          : Phase::kExited;
    state.detail = absl::StrCat("brev instance ", placement.instance_id, " is ",
                                instance->status);
    return state;
  }
  absl::StatusOr<RunResult> inspected =
      RunnerFor(placement.instance_id, Attribute(placement, "ssh_config"))
          .Run(InspectScript(placement.job_id));
  if (!inspected.ok()) return inspected.status();
  state = StateFromInspect(inspected->output);
  if (state.phase == Phase::kExited || state.phase == Phase::kMissing) {
    tunnels_.Close(placement.job_id, TunnelOf(placement));
  }
  return state;
}

absl::StatusOr<RuntimeState> BrevPlatform::EnsureReachable(
    Placement& placement) {
  absl::StatusOr<RuntimeState> state = Inspect(placement);
  if (!state.ok() || state->phase != Phase::kRunning) return state;
  // A launch cut short before its tunnel gets one now.
  if (absl::Status opened = OpenTunnel(placement); !opened.ok()) return opened;
  return state;
}

absl::StatusOr<RuntimeState> BrevPlatform::Reattach(Placement& placement) {
  absl::StatusOr<RuntimeState> state = EnsureReachable(placement);
  if (!state.ok() || state->phase != Phase::kMissing ||
      Attribute(placement, "created_instance") != "1") {
    return state;
  }
  // A launch cut short by a restart after its instance was made and before
  // its container ran: nothing else deletes that instance (when it is
  // still there).
  absl::StatusOr<BrevInstance> instance = cli_.Find(placement.instance_id);
  if (!instance.ok() || StandingOf(*instance) != InstanceStanding::kRunning) {
    return state;
  }
  if (absl::Status deleted = DeleteIfUnused(placement); !deleted.ok()) {
    LogWarning(absl::StrCat(
        "brev instance ", placement.instance_id, " was made for ",
        placement.job_id,
        ", which has no container; deleting it failed: ", deleted.message()));
  }
  return state;
}

absl::Status BrevPlatform::OpenTunnel(Placement& placement) {
  if (Attribute(placement, "remote_addr").empty()) {
    absl::StatusOr<RunResult> published =
        RunnerFor(placement.instance_id, Attribute(placement, "ssh_config"))
            .Run(PublishedAddressScript(placement.job_id));
    if (!published.ok()) return published.status();
    absl::StatusOr<std::string> address =
        ParsePublishedAddress(published->output);
    if (!address.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "container ", placement.job_id, " on brev instance ",
          placement.instance_id, ": ", address.status().message()));
    }
    placement.attributes["remote_addr"] = *address;
  }
  if (Attribute(placement, "local_port").empty()) {
    const int local_port = EphemeralPort();
    if (local_port <= 0) {
      return absl::UnavailableError("no free local port for the tunnel");
    }
    placement.attributes["local_port"] = absl::StrCat(local_port);
  }
  absl::StatusOr<pid_t> tunnel = EnsureTunnel(placement);
  if (!tunnel.ok()) return tunnel.status();
  placement.attributes["tunnel_pid"] = absl::StrCat(*tunnel);
  placement.host_url =
      absl::StrCat("http://localhost:", Attribute(placement, "local_port"));
  return absl::OkStatus();
}

absl::Status BrevPlatform::DeleteIfUnused(const Placement& placement) {
  if (Attribute(placement, "created_instance") != "1" ||
      options_.keep_instances) {
    return absl::OkStatus();
  }
  // Any container this driver started there keeps the instance.
  absl::StatusOr<RunResult> left =
      RunnerFor(placement.instance_id, Attribute(placement, "ssh_config"))
          .Run(absl::StrCat("docker ps -aq --filter label=", kLabelJobId));
  if (!left.ok()) return left.status();
  if (!absl::StripAsciiWhitespace(left->output).empty()) {
    return absl::OkStatus();
  }
  absl::Status deleted = cli_.Delete(placement.instance_id);
  return absl::IsNotFound(deleted) ? absl::OkStatus() : deleted;
}

absl::Status BrevPlatform::Terminate(const Placement& placement) {
  int pid = 0;
  (void)absl::SimpleAtoi(Attribute(placement, "tunnel_pid"), &pid);
  tunnels_.Close(placement.job_id, TunnelOf(placement),
                 static_cast<pid_t>(pid));
  if (placement.instance_id.empty()) return absl::OkStatus();
  absl::StatusOr<BrevInstance> instance = cli_.Find(placement.instance_id);
  if (absl::IsNotFound(instance.status())) return absl::OkStatus();
  if (!instance.ok()) return instance.status();
  if (StandingOf(*instance) != InstanceStanding::kRunning) {
    // Its containers cannot be reached; a stopped instance keeps them.
    return StandingOf(*instance) == InstanceStanding::kGoing
               ? absl::OkStatus()
               : absl::UnavailableError(absl::StrCat(
                     "brev instance ", placement.instance_id, " is ",
                     instance->status,
                     ": its container cannot be removed now; start the "
                     "instance (`brev start`) and stop the service again"));
  }
  absl::StatusOr<RunResult> removed =
      RunnerFor(placement.instance_id, Attribute(placement, "ssh_config"))
          .Run(RemoveScript(placement.job_id));
  if (!removed.ok()) return removed.status();
  return DeleteIfUnused(placement);
}

absl::StatusOr<std::string> BrevPlatform::Logs(const Placement& placement,
                                               int tail_lines) {
  absl::StatusOr<RuntimeState> state = Inspect(placement);
  if (!state.ok()) return state.status();
  if (state->phase == Phase::kMissing) {
    return absl::NotFoundError(
        absl::StrCat("no container ", placement.job_id, ": ", state->detail));
  }
  absl::StatusOr<RunResult> logs =
      RunnerFor(placement.instance_id, Attribute(placement, "ssh_config"))
          .Run(LogsScript(placement.job_id, tail_lines));
  if (!logs.ok()) return logs.status();
  return logs->output;
}

absl::StatusOr<std::vector<OwnedWorkload>> BrevPlatform::ListOwned(
    absl::string_view server_instance) {
  absl::StatusOr<std::vector<BrevInstance>> instances = cli_.List();
  if (!instances.ok()) return instances.status();
  std::vector<OwnedWorkload> owned;
  for (const BrevInstance& instance : *instances) {
    if (StandingOf(instance) != InstanceStanding::kRunning) continue;
    absl::StatusOr<RunResult> listed =
        RunnerFor(instance.name, "")
            .Run(ListOwnedScript(std::string(server_instance)));
    if (!listed.ok()) return listed.status();
    for (const auto& [job_id, arch] : ParseOwned(listed->output)) {
      OwnedWorkload workload;
      workload.job_id = job_id;
      workload.network_arch = arch;
      workload.detail = absl::StrCat("container ", job_id, " on brev instance ",
                                     instance.name, "; remove it with `ssh -F ",
                                     options_.ssh_config, " ", instance.name,
                                     " docker rm -f ", job_id, "`");
      workload.placement.job_id = job_id;
      workload.placement.instance_id = instance.name;
      workload.placement.attributes["ssh_config"] = options_.ssh_config;
      owned.push_back(std::move(workload));
    }
  }
  return owned;
}

}  // namespace tao::platforms::brev
