#include "platforms/slurm/batch_script.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "platforms/common/shell_quote.h"
#include "platforms/slurm/enroot_image.h"

namespace tao::platforms::slurm {
namespace {

constexpr absl::string_view kJobNamePrefix = "tao-";
constexpr absl::string_view kCommentMark = "tao-inference";

bool IsShellName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(static_cast<unsigned char>(name[0])))
    return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

absl::Status CheckNames(const std::map<std::string, std::string>& env,
                        absl::string_view kind) {
  for (const auto& entry : env) {
    if (!IsShellName(entry.first)) {
      return absl::InvalidArgumentError(
          absl::StrCat(kind, " variable name \"", entry.first,
                       "\" is not a shell identifier"));
    }
  }
  return absl::OkStatus();
}

void AppendDirectives(const BatchScriptInputs& in, const JobFiles& files,
                      std::string& out) {
  const SlurmSettings& s = in.settings;
  auto directive = [&out](absl::string_view flag) {
    absl::StrAppend(&out, "#SBATCH ", flag, "\n");
  };
  directive(absl::StrCat("--job-name=", JobName(in.job_id)));
  directive(absl::StrCat("--comment=",
                         JobComment(in.server_instance, in.network_arch)));
  if (!s.partition.empty()) directive("--partition=" + s.partition);
  if (!s.account.empty()) directive("--account=" + s.account);
  if (!s.time_limit.empty()) directive("--time=" + s.time_limit);
  directive("--nodes=1");
  directive("--ntasks-per-node=1");
  if (s.cpus_per_task > 0) {
    directive(absl::StrCat("--cpus-per-task=", s.cpus_per_task));
  }
  if (s.request_gpus && in.num_gpus > 0) {
    directive(absl::StrCat("--gres=gpu:", in.num_gpus));
  }
  directive("--chdir=" + in.job_dir);
  directive("--output=" + files.output);
  directive("--error=" + files.output);
  directive("--open-mode=append");
}

// Secrets arrive through the env file only; it is deleted as soon as it is
// read, and on any early exit.
void AppendSecretLoading(const JobFiles& files, std::string& out) {
  absl::StrAppend(&out, "env_file=", ShellQuote(files.env), "\n",
                  "trap 'rm -f \"$env_file\"' EXIT\n",
                  "trap 'exit 143' TERM INT\n",
                  "if [ -f \"$env_file\" ]; then\n", "  . \"$env_file\"\n",
                  "fi\n", "rm -f \"$env_file\"\n\n");
}

void AppendEnvironment(const BatchScriptInputs& in, std::string& out) {
  for (const auto& [name, value] : in.env) {
    absl::StrAppend(&out, "export ", name, "=", ShellQuote(value), "\n");
  }
  if (!in.settings.path_prepend.empty()) {
    absl::StrAppend(&out, "export PATH=", ShellQuote(in.settings.path_prepend),
                    ":\"$PATH\"\n");
  }
  if (!in.env.empty() || !in.settings.path_prepend.empty()) out += "\n";
}

void AppendPortChoice(const BatchScriptInputs& in, const JobFiles& files,
                      std::string& out) {
  std::vector<std::string> ports;
  for (const PortChoice& choice : in.ports) {
    ports.push_back(absl::StrCat(choice.port));
  }
  const std::string port_list = absl::StrJoin(ports, " ");
  absl::StrAppend(
      &out,
      "# Services on one node share its network: take the first candidate\n"
      "# port that no listener on this node holds and tell the driver.\n"
      "port_in_use() {\n"
      "  local hex f\n"
      "  hex=$(printf ':%04X' \"$1\")\n"
      "  for f in /proc/net/tcp /proc/net/tcp6; do\n"
      "    [ -r \"$f\" ] || continue\n"
      "    awk -v p=\"$hex\" '$4 == \"0A\" && substr($2, length($2) - 4) == p "
      "{ found = 1 } END { exit !found }' \"$f\" && return 0\n"
      "  done\n"
      "  return 1\n"
      "}\n"
      "port=\n"
      "for candidate in ",
      port_list,
      "; do\n"
      "  if ! port_in_use \"$candidate\"; then\n"
      "    port=$candidate\n"
      "    break\n"
      "  fi\n"
      "done\n"
      "if [ -z \"$port\" ]; then\n"
      "  echo \"tao-inference: ports ",
      port_list,
      " are all in use on $(hostname)\" >&2\n"
      "  exit 75\n"
      "fi\n",
      "echo \"$port\" > ", ShellQuote(files.port + ".tmp"), " && mv ",
      ShellQuote(files.port + ".tmp"), " ", ShellQuote(files.port), "\n",
      "echo \"tao-inference: service port $port on $(hostname)\"\n\n",
      "case \"$port\" in\n");
  for (const PortChoice& choice : in.ports) {
    absl::StrAppend(&out, "  ", choice.port,
                    ") inner=", ShellQuote(choice.inner_command), " ;;\n");
  }
  out += "esac\n\n";
}

void AppendRun(const BatchScriptInputs& in, std::string& out) {
  const SlurmSettings& s = in.settings;
  switch (s.runtime) {
    case ContainerRuntime::kNone:
      out += "exec /bin/bash -c \"$inner\"\n";
      return;
    case ContainerRuntime::kPyxis: {
      std::vector<std::string> argv = {
          "srun", "--container-image=" + EnrootImage(in.image)};
      if (!s.container_mounts.empty()) {
        argv.push_back("--container-mounts=" + s.container_mounts);
      }
      absl::StrAppend(&out, "exec ", ShellJoin(argv),
                      " /bin/bash -c \"$inner\"\n");
      return;
    }
    case ContainerRuntime::kDocker: {
      absl::StrAppend(&out, "container=", ShellQuote(JobName(in.job_id)), "\n",
                      "trap 'docker rm -f \"$container\" >/dev/null 2>&1; "
                      "rm -f \"$env_file\"' EXIT\n");
      std::string gpus;
      if (in.num_gpus > 0) {
        out +=
            "gpus=all\n"
            "if [ -n \"${CUDA_VISIBLE_DEVICES:-}\" ]; then\n"
            "  gpus=\"\\\"device=$CUDA_VISIBLE_DEVICES\\\"\"\n"
            "fi\n";
        gpus = " --gpus \"$gpus\"";
      }
      std::vector<std::string> names;
      for (const auto& entry : in.env) names.push_back(entry.first);
      for (const std::string& name : in.secret_names) names.push_back(name);
      std::string env_flags;
      for (const std::string& name : names) {
        absl::StrAppend(&env_flags, " -e ", name);
      }
      absl::StrAppend(&out,
                      "docker run --rm --name \"$container\" --network host "
                      "--shm-size=8g",
                      gpus, env_flags, " ", ShellQuote(in.image),
                      " /bin/bash -c \"$inner\" &\n", "wait $!\n");
      return;
    }
  }
}

}  // namespace

JobFiles JobFilesIn(absl::string_view job_dir) {
  const std::string dir(job_dir);
  return {dir + "/job.sbatch", dir + "/job.env", dir + "/output.log",
          dir + "/port"};
}

std::string JobName(absl::string_view job_id) {
  return absl::StrCat(kJobNamePrefix, job_id);
}

std::optional<std::string> JobIdOfName(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, kJobNamePrefix) || name.empty()) {
    return std::nullopt;
  }
  return std::string(name);
}

std::string JobMarkValue(absl::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != '-') {
      c = '_';
    }
  }
  return out;
}

std::string JobComment(absl::string_view server_instance,
                       absl::string_view network_arch) {
  return absl::StrCat(kCommentMark, ";server=", JobMarkValue(server_instance),
                      ";arch=", JobMarkValue(network_arch));
}

std::optional<JobMark> ParseJobComment(absl::string_view comment) {
  std::vector<absl::string_view> parts = absl::StrSplit(comment, ';');
  if (parts.size() != 3 || parts[0] != kCommentMark ||
      !absl::ConsumePrefix(&parts[1], "server=") ||
      !absl::ConsumePrefix(&parts[2], "arch=")) {
    return std::nullopt;
  }
  return JobMark{std::string(parts[1]), std::string(parts[2])};
}

absl::StatusOr<std::string> BatchScript(const BatchScriptInputs& in) {
  if (absl::Status s = CheckNames(in.env, "environment"); !s.ok()) return s;
  for (const std::string& name : in.secret_names) {
    if (!IsShellName(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "secret variable name \"", name, "\" is not a shell identifier"));
    }
  }
  if (in.job_dir.empty() || in.job_dir[0] != '/' ||
      in.job_dir.find_first_of(" \t\n\r") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("job folder \"", in.job_dir,
                     "\" must be an absolute path without whitespace"));
  }
  if (in.ports.empty()) {
    return absl::InvalidArgumentError("no candidate node port");
  }
  const JobFiles files = JobFilesIn(in.job_dir);
  std::string out = "#!/bin/bash\n";
  AppendDirectives(in, files, out);
  absl::StrAppend(&out, "# tao-inference service ", in.job_id, " (",
                  in.network_arch, "), container runtime ",
                  RuntimeName(in.settings.runtime), ".\n",
                  "# Secrets come from job.env (mode 600), never from this "
                  "file.\n",
                  "set -u\n\n");
  AppendSecretLoading(files, out);
  AppendEnvironment(in, out);
  AppendPortChoice(in, files, out);
  AppendRun(in, out);
  return out;
}

absl::StatusOr<std::string> SecretEnvFile(
    const std::map<std::string, std::string>& secret_env) {
  if (absl::Status s = CheckNames(secret_env, "secret"); !s.ok()) return s;
  std::string out =
      "# tao-inference: secrets for one SLURM job, deleted by the job when "
      "it starts.\n";
  for (const auto& [name, value] : secret_env) {
    absl::StrAppend(&out, "export ", name, "=", ShellQuote(value), "\n");
  }
  return out;
}

}  // namespace tao::platforms::slurm
