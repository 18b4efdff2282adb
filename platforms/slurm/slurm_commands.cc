#include "platforms/slurm/slurm_commands.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platforms/common/shell_quote.h"

namespace tao::platforms::slurm {

CommandRunner LoginRunner(const SshTarget& login, absl::Duration timeout) {
  RunnerContext context;
  context.what = "SLURM command";
  context.host_role = "login host";
  context.local_env.push_back("SLURM_CONF");
  context.unreachable_hint =
      "check SLURM_HOSTNAME, SLURM_USER, SSH_KEY_PATH and that the key is "
      "authorized without a passphrase";
  return CommandRunner(login, timeout, std::move(context));
}
namespace {

// Exit code of our own file checks for "no such file".
constexpr int kNoSuchFile = 44;
constexpr int kCommandNotFound = 127;

bool ContainsAny(absl::string_view text,
                 std::initializer_list<absl::string_view> needles) {
  const std::string lower = absl::AsciiStrToLower(text);
  for (absl::string_view needle : needles) {
    if (absl::StrContains(lower, absl::AsciiStrToLower(needle))) return true;
  }
  return false;
}

std::string Trimmed(const std::string& output) {
  return std::string(absl::StripAsciiWhitespace(output));
}

// `~/x` and "" (the default folder) are relative to the cluster user's
// home, which only the cluster side knows.
std::string ShellPath(const std::string& work_dir) {
  if (work_dir.empty()) return "\"$HOME\"/.tao-inference/slurm";
  if (absl::StartsWith(work_dir, "~/")) {
    return "\"$HOME\"/" + ShellQuote(work_dir.substr(2));
  }
  return ShellQuote(work_dir);
}

}  // namespace

absl::StatusOr<RunResult> SlurmCommands::Run(
    const std::string& command_line, const std::string& stdin_text) const {
  absl::StatusOr<RunResult> result = runner_.Run(command_line, stdin_text);
  if (!result.ok() || result->exit_code == 0) return result;
  const std::string& out = result->output;
  if (ContainsAny(out,
                  {"Unable to contact slurm controller", "Socket timed out",
                   "Connection refused", "Zero Bytes were transmitted",
                   "Communication connection failure", "munge",
                   "Unable to establish controller"})) {
    return absl::UnavailableError(absl::StrCat(
        "SLURM is not reachable from ", runner_.Where(), ": ", Trimmed(out),
        " (is slurmctld up, and munged on this host?)"));
  }
  if (result->exit_code == kCommandNotFound ||
      ContainsAny(out, {"command not found"})) {
    return absl::FailedPreconditionError(
        absl::StrCat("SLURM client tools are missing on ", runner_.Where(),
                     ": ", Trimmed(out)));
  }
  return result;
}

absl::StatusOr<std::string> SlurmCommands::MakeJobDir(
    const std::string& work_dir, const std::string& job_id) const {
  const std::string dir = ShellPath(work_dir) + "/" + ShellQuote(job_id);
  absl::StatusOr<RunResult> result = Run(absl::StrCat(
      "umask 077 && mkdir -p ", dir, " && cd ", dir, " && pwd -P"));
  if (!result.ok()) return result.status();
  std::string path = Trimmed(result->output);
  if (result->exit_code != 0 || path.empty() || path[0] != '/') {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create the job folder under ",
                     work_dir.empty() ? "~/.tao-inference/slurm" : work_dir,
                     " on ", runner_.Where(), ": ", path));
  }
  return path;
}

absl::Status SlurmCommands::WritePrivateFile(const std::string& path,
                                             const std::string& content) const {
  absl::StatusOr<RunResult> result =
      Run(absl::StrCat("umask 077 && cat > ", ShellQuote(path)), content);
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", path, " on ", runner_.Where(), ": ",
                     Trimmed(result->output)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SlurmCommands::Submit(
    const std::string& script_path) const {
  absl::StatusOr<RunResult> result = Run(
      absl::StrCat("sbatch --parsable --export=ALL ", ShellQuote(script_path)));
  if (!result.ok()) return result.status();
  const std::string out = Trimmed(result->output);
  if (result->exit_code != 0) {
    const std::string message =
        absl::StrCat("sbatch refused the job on ", runner_.Where(), ": ", out);
    if (ContainsAny(out, {"Invalid partition", "Invalid account", "Invalid qos",
                          "Invalid job array"})) {
      return absl::InvalidArgumentError(message);
    }
    if (ContainsAny(
            out, {"node configuration is not available", "can not be satisfied",
                  "Invalid generic resource", "More processors requested",
                  "time limit", "QOSMax", "AssocMax", "Job violates"})) {
      return absl::ResourceExhaustedError(message);
    }
    return absl::FailedPreconditionError(message);
  }
  // The id is on the last line ("12" or "12;cluster"); warnings come first.
  std::vector<absl::string_view> lines =
      absl::StrSplit(out, '\n', absl::SkipEmpty());
  std::string id;
  if (!lines.empty()) {
    id = std::string(
        absl::StripAsciiWhitespace(*absl::StrSplit(lines.back(), ';').begin()));
  }
  if (id.empty() || !std::all_of(id.begin(), id.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InternalError(absl::StrCat("sbatch printed no job id: ", out));
  }
  return id;
}

absl::StatusOr<std::optional<JobInfo>> SlurmCommands::Query(
    const std::string& job_id) const {
  absl::StatusOr<RunResult> result =
      Run(absl::StrCat("scontrol show job -o ", ShellQuote(job_id)));
  if (!result.ok()) return result.status();
  if (result->exit_code == 0) {
    absl::StatusOr<JobInfo> job = ParseScontrolJob(result->output);
    if (!job.ok()) return job.status();
    return std::optional<JobInfo>(*job);
  }
  if (!absl::StrContains(result->output, "Invalid job id")) {
    return absl::InternalError(absl::StrCat(
        "scontrol show job ", job_id, " failed: ", Trimmed(result->output)));
  }
  // Finished jobs leave scontrol after MinJobAge; accounting, where the
  // cluster has it, still knows them.
  absl::StatusOr<RunResult> sacct =
      Run(absl::StrCat("sacct -j ", ShellQuote(job_id),
                       " -X -n -P -o JobID,State,ExitCode,NodeList,Reason"));
  if (!sacct.ok()) return sacct.status();
  if (sacct->exit_code != 0) return std::optional<JobInfo>();
  return ParseSacct(sacct->output);
}

absl::StatusOr<std::vector<QueuedJob>> SlurmCommands::ListJobs() const {
  absl::StatusOr<RunResult> result =
      Run("squeue --me --noheader --format='%i|%j|%T|%N|%Z|%k'");
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("squeue failed: ", Trimmed(result->output)));
  }
  return ParseSqueue(result->output);
}

absl::Status SlurmCommands::Cancel(const std::string& job_id) const {
  absl::StatusOr<RunResult> result =
      Run(absl::StrCat("scancel ", ShellQuote(job_id)));
  if (!result.ok()) return result.status();
  if (result->exit_code == 0 ||
      ContainsAny(result->output,
                  {"Invalid job id", "already completing or completed"})) {
    return absl::OkStatus();
  }
  return absl::InternalError(
      absl::StrCat("scancel ", job_id, " failed: ", Trimmed(result->output)));
}

absl::StatusOr<std::string> SlurmCommands::NodeAddress(
    const std::string& node) const {
  absl::StatusOr<RunResult> result =
      Run(absl::StrCat("scontrol show node -o ", ShellQuote(node)));
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(absl::StrCat(
        "scontrol show node ", node, " failed: ", Trimmed(result->output)));
  }
  return ParseNodeAddress(result->output);
}

absl::StatusOr<std::optional<std::string>> SlurmCommands::ReadFile(
    const std::string& path) const {
  const std::string file = ShellQuote(path);
  absl::StatusOr<RunResult> result =
      Run(absl::StrCat("if [ -e ", file, " ]; then cat ", file, "; else exit ",
                       kNoSuchFile, "; fi"));
  if (!result.ok()) return result.status();
  if (result->exit_code == kNoSuchFile) return std::optional<std::string>();
  if (result->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("cannot read ", path, ": ", Trimmed(result->output)));
  }
  return std::optional<std::string>(result->output);
}

absl::StatusOr<std::string> SlurmCommands::Tail(const std::string& path,
                                                int lines) const {
  const std::string file = ShellQuote(path);
  absl::StatusOr<RunResult> result =
      Run(absl::StrCat("if [ -e ", file, " ]; then tail -n ", lines, " ", file,
                       "; else exit ", kNoSuchFile, "; fi"));
  if (!result.ok()) return result.status();
  if (result->exit_code == kNoSuchFile) {
    return absl::NotFoundError(absl::StrCat("the job's output file ", path,
                                            " does not exist on ",
                                            runner_.Where()));
  }
  if (result->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("cannot read ", path, ": ", Trimmed(result->output)));
  }
  return result->output;
}

absl::Status SlurmCommands::RemoveFile(const std::string& path) const {
  absl::StatusOr<RunResult> result =
      Run(absl::StrCat("rm -f ", ShellQuote(path)));
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("cannot remove ", path, ": ", Trimmed(result->output)));
  }
  return absl::OkStatus();
}

}  // namespace tao::platforms::slurm
