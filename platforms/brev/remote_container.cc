#include "platforms/brev/remote_container.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platforms/common/shell_quote.h"

namespace tao::platforms::brev {
namespace {

using Phase = RuntimeState::Phase;

// Docker's container name rule: [a-zA-Z0-9][a-zA-Z0-9_.-]*.
bool IsContainerName(absl::string_view name) {
  if (name.empty() || !absl::ascii_isalnum(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> RunScript(const RemoteContainer& c) {
  if (!IsContainerName(c.job_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", c.job_id, "\" is not a container name"));
  }
  if (c.host_port < 1 || c.host_port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("host port ", c.host_port, " is not in 1-65535"));
  }
  // The arguments after `docker run`.
  std::vector<std::string> run = {
      "-d",
      "--name",
      c.job_id,
      "--label",
      absl::StrCat(kLabelJobId, "=", c.job_id),
      "--label",
      absl::StrCat(kLabelNetworkArch, "=", c.network_arch),
      "--label",
      absl::StrCat(kLabelServerInstance, "=", c.server_instance),
      "-p",
      absl::StrCat("127.0.0.1:", c.host_port, ":", kDefaultContainerPort),
      "--shm-size",
      absl::StrCat(c.shm_size_bytes),
  };
  if (c.num_gpus > 0) {
    run.insert(run.end(), {"--gpus", absl::StrCat("count=", c.num_gpus)});
  }
  for (const auto& [name, value] : c.env) {
    run.insert(run.end(), {"-e", absl::StrCat(name, "=", value)});
  }
  run.insert(run.end(),
             {"--entrypoint", "/bin/bash", c.image, "-c", c.inner_command});
  if (c.secret_names.empty())
    return absl::StrCat("docker run ", ShellJoin(run));
  // mktemp makes the file 0600; the trap removes it whatever docker does.
  return absl::StrCat(
      "f=$(mktemp) && trap 'rm -f \"$f\"' EXIT && cat > \"$f\" && "
      "docker run --env-file \"$f\" ",
      ShellJoin(run));
}

absl::StatusOr<std::string> SecretEnvFile(
    const std::map<std::string, std::string>& secrets) {
  std::string file;
  for (const auto& [name, value] : secrets) {
    if (value.find_first_of("\r\n") != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "secret ", name,
          " holds a line break, which docker's env file cannot carry"));
    }
    absl::StrAppend(&file, name, "=", value, "\n");
  }
  return file;
}

std::string PublishedAddressScript(const std::string& job_id) {
  return absl::StrCat("docker port ", ShellQuote(job_id), " ",
                      kDefaultContainerPort, "/tcp");
}

absl::StatusOr<std::string> ParsePublishedAddress(absl::string_view output) {
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    const size_t colon = line.rfind(':');
    if (colon == absl::string_view::npos || line.front() == '[') continue;
    absl::string_view address = line.substr(0, colon);
    const bool ipv4 = !address.empty() &&
                      std::all_of(address.begin(), address.end(), [](char c) {
                        return absl::ascii_isdigit(c) || c == '.';
                      });
    if (!ipv4) continue;
    if (address == "0.0.0.0") return std::string("127.0.0.1");
    return std::string(address);
  }
  return absl::NotFoundError(absl::StrCat(
      "docker port names no IPv4 address for container port ",
      kDefaultContainerPort, ": \"", absl::StripAsciiWhitespace(output), "\""));
}

std::string RemoveScript(const std::string& job_id) {
  // -f on a missing container fails with "No such container": fine here.
  return absl::StrCat("docker rm -f ", ShellQuote(job_id),
                      " >/dev/null 2>&1; true");
}

std::string LogsScript(const std::string& job_id, int tail_lines) {
  return absl::StrCat("docker logs --tail ",
                      tail_lines > 0 ? absl::StrCat(tail_lines) : "all", " ",
                      ShellQuote(job_id), " 2>&1");
}

std::string InspectScript(const std::string& job_id) {
  return absl::StrCat(
      "docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' ",
      ShellQuote(job_id), " 2>/dev/null || echo missing");
}

RuntimeState StateFromInspect(absl::string_view output) {
  RuntimeState state;
  std::vector<std::string> words = absl::StrSplit(
      absl::StripAsciiWhitespace(output), ' ', absl::SkipEmpty());
  if (words.empty()) {
    state.detail = "docker inspect printed nothing";
    return state;
  }
  if (words[0] == "missing") {
    state.phase = Phase::kMissing;
    state.detail = "no such container on the instance";
    return state;
  }
  const std::string& status = words[0];
  state.detail = absl::StrCat("container ", status);
  if (status == "running") {
    state.phase = Phase::kRunning;
  } else if (status == "created" || status == "restarting") {
    state.phase = Phase::kPending;
  } else if (status == "exited" || status == "dead") {
    state.phase = Phase::kExited;
    int code = 0;
    if (words.size() > 1 && absl::SimpleAtoi(words[1], &code)) {
      state.exit_code = code;
      state.has_exit_code = true;
    }
  }
  return state;
}

std::string ListOwnedScript(const std::string& server_instance) {
  return absl::StrCat("docker ps -a --filter ",
                      ShellQuote(absl::StrCat("label=", kLabelServerInstance,
                                              "=", server_instance)),
                      " --format '{{.Names}} {{.Label \"", kLabelNetworkArch,
                      "\"}}'");
}

std::vector<std::pair<std::string, std::string>> ParseOwned(
    absl::string_view output) {
  std::vector<std::pair<std::string, std::string>> owned;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    std::vector<std::string> words = absl::StrSplit(
        absl::StripAsciiWhitespace(line), ' ', absl::SkipEmpty());
    if (words.empty()) continue;
    owned.emplace_back(words[0], words.size() > 1 ? words[1] : "");
  }
  return owned;
}

}  // namespace tao::platforms::brev
