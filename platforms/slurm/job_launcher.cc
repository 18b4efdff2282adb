#include "platforms/slurm/job_launcher.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "platforms/common/redactor.h"
#include "platforms/slurm/job_placement.h"

namespace tao::platforms::slurm {
namespace {

constexpr int kErrorOutputLines = 10;

}  // namespace

absl::StatusOr<StartedJob> JobLauncher::Run(
    const std::vector<int>& node_ports) {
  if (absl::Status s = Submit(node_ports); !s.ok()) return s;
  absl::StatusOr<JobInfo> job = WaitUntilRunning();
  if (!job.ok()) return job.status();
  started_.node = job->node_list;
  absl::StatusOr<int> port = WaitForPort();
  if (!port.ok()) return port.status();
  started_.node_port = *port;
  absl::StatusOr<std::string> address = commands_.NodeAddress(started_.node);
  if (!address.ok()) return address.status();
  started_.node_addr = *address;
  return started_;
}

absl::Status JobLauncher::Submit(const std::vector<int>& node_ports) {
  if (Cancelled()) return CancelledError();
  if (absl::Now() >= spec_.deadline) {
    return absl::DeadlineExceededError(
        "the Start deadline passed before the SLURM job was submitted");
  }
  // The commands first: nothing is made on the cluster for a bad one.
  std::vector<PortChoice> ports;
  for (int port : node_ports) {
    absl::StatusOr<std::string> command = spec_.inner_command(port);
    if (!command.ok()) return command.status();
    if (command->empty()) {
      return absl::InvalidArgumentError("the launch's inner command is empty");
    }
    ports.push_back({port, *std::move(command)});
  }
  absl::StatusOr<std::string> dir =
      commands_.MakeJobDir(settings_.work_dir, spec_.job_id);
  if (!dir.ok()) return dir.status();
  started_.job_dir = *dir;
  started_.files = JobFilesIn(*dir);

  BatchScriptInputs inputs;
  inputs.job_id = spec_.job_id;
  inputs.network_arch = spec_.network_arch;
  inputs.server_instance = spec_.server_instance;
  inputs.image = spec_.image;
  inputs.num_gpus = spec_.num_gpus;
  inputs.settings = settings_;
  inputs.job_dir = *dir;
  inputs.env = spec_.env;
  for (const auto& entry : spec_.secret_env) {
    inputs.secret_names.push_back(entry.first);
  }
  inputs.ports = std::move(ports);
  absl::StatusOr<std::string> script = BatchScript(inputs);
  if (!script.ok()) return script.status();
  absl::StatusOr<std::string> secrets = SecretEnvFile(spec_.secret_env);
  if (!secrets.ok()) return secrets.status();

  if (absl::Status s = commands_.WritePrivateFile(started_.files.env, *secrets);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          commands_.WritePrivateFile(started_.files.script, *script);
      !s.ok()) {
    commands_.RemoveFile(started_.files.env).IgnoreError();
    return s;
  }
  absl::StatusOr<std::string> id = commands_.Submit(started_.files.script);
  if (!id.ok()) {
    commands_.RemoveFile(started_.files.env).IgnoreError();
    return id.status();
  }
  started_.slurm_job_id = *id;
  // Recorded at once: a restart from here on finds the job.
  ReportPlacement(progress_, absl::StrCat("submitted SLURM job ", *id),
                  SubmittedPlacement(spec_, settings_, started_));
  return absl::OkStatus();
}

absl::StatusOr<JobInfo> JobLauncher::WaitUntilRunning() {
  absl::Duration interval = poll_.min;
  std::string last_reason = "-";
  while (true) {
    if (Cancelled()) return CancelledError();
    absl::StatusOr<std::optional<JobInfo>> job =
        commands_.Query(started_.slurm_job_id);
    if (!job.ok()) return job.status();
    if (!job->has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("SLURM job ", started_.slurm_job_id,
                       " disappeared before it started; last output lines:\n",
                       OutputTail()));
    }
    const JobInfo& info = **job;
    switch (PhaseOf(info.state)) {
      case JobPhase::kRunning:
        return info;
      case JobPhase::kEnded:
        return EndedBeforeRunning(info, OutputTail());
      case JobPhase::kPending:
        break;
    }
    if (info.reason != last_reason) {
      last_reason = info.reason;
      Report(DescribeJob(info));
    }
    if (!SleepBeforeNextPoll(interval)) {
      return absl::DeadlineExceededError(absl::StrCat(
          DescribeJob(info),
          " at the start deadline; the scheduler could not place it (see "
          "the reason) and it was cancelled"));
    }
  }
}

absl::StatusOr<int> JobLauncher::WaitForPort() {
  absl::Duration interval = poll_.min;
  while (true) {
    if (Cancelled()) return CancelledError();
    absl::StatusOr<std::optional<std::string>> text =
        commands_.ReadFile(started_.files.port);
    if (!text.ok()) return text.status();
    int port = 0;
    if (text->has_value() &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(**text), &port) &&
        port > 0) {
      Report(absl::StrCat("SLURM job ", started_.slurm_job_id, " runs on ",
                          started_.node, ", service port ", port));
      return port;
    }
    // The job writes the file first thing; without it, it may have ended.
    absl::StatusOr<std::optional<JobInfo>> job =
        commands_.Query(started_.slurm_job_id);
    if (!job.ok()) return job.status();
    if (job->has_value() && PhaseOf((*job)->state) == JobPhase::kEnded) {
      return EndedBeforeRunning(**job, OutputTail());
    }
    if (!SleepBeforeNextPoll(interval)) {
      return absl::DeadlineExceededError(
          absl::StrCat("SLURM job ", started_.slurm_job_id,
                       " runs but did not report its service port by the start "
                       "deadline; last output lines:\n",
                       OutputTail()));
    }
  }
}

bool JobLauncher::SleepBeforeNextPoll(absl::Duration& interval) const {
  const absl::Duration left = spec_.deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return false;
  // In short steps, so that a cancelled launch gives up soon.
  const absl::Time until = absl::Now() + std::min(interval, left);
  while (absl::Now() < until && !Cancelled()) {
    absl::SleepFor(std::min(until - absl::Now(), absl::Milliseconds(100)));
  }
  interval = std::min(interval * 2, poll_.max);
  return true;
}

bool JobLauncher::Cancelled() const {
  return spec_.cancelled && spec_.cancelled();
}

absl::Status JobLauncher::CancelledError() const {
  return absl::CancelledError(absl::StrCat(
      "the launch of ", spec_.job_id,
      started_.slurm_job_id.empty()
          ? std::string()
          : absl::StrCat(" (SLURM job ", started_.slurm_job_id, ")"),
      " was cancelled (the service was stopped or tao-inferd shut down); "
      "its job is cancelled too"));
}

absl::Status JobLauncher::Abandon() {
  absl::Status status;
  if (!started_.slurm_job_id.empty()) {
    status = commands_.Cancel(started_.slurm_job_id);
  }
  if (!started_.files.env.empty()) {
    commands_.RemoveFile(started_.files.env).IgnoreError();
  }
  return status;
}

std::string JobLauncher::OutputTail() const {
  absl::StatusOr<std::string> tail =
      commands_.Tail(started_.files.output, kErrorOutputLines);
  if (!tail.ok()) return "(no output)";
  return Redacted(std::string(absl::StripTrailingAsciiWhitespace(*tail)));
}

// Job output may echo anything; error messages must not carry secrets.
std::string JobLauncher::Redacted(std::string text) const {
  return Redactor::ForValues(spec_.secret_env).Redact(text);
}

void JobLauncher::Report(const std::string& message) const {
  ReportProgress(progress_, ProgressEvent::Phase::kStarting, message);
}

}  // namespace tao::platforms::slurm
