#include "platforms/slurm/slurm_settings.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tao::platforms::slurm {
namespace {

// Every value ends up in an argv, a #SBATCH line or a shell script:
// characters that need no quoting there are all that is allowed.
bool AllOf(absl::string_view value, absl::string_view extra) {
  if (value.empty()) return false;
  for (char c : value) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        extra.find(c) == absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool IsPath(absl::string_view value) {
  for (char c : value) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) ||
        absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return !value.empty();
}

absl::Status Invalid(absl::string_view what, absl::string_view value,
                     absl::string_view rule) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": \"", value, "\" is not valid: ", rule));
}

// One setting: how to check and store a value given under `what` (an
// option key or an environment variable name).
using Setter = std::function<absl::Status(
    absl::string_view what, absl::string_view value, SlurmSettings& s)>;

Setter Word(std::string SlurmSettings::*field, absl::string_view extra,
            absl::string_view rule) {
  return
      [field, extra = std::string(extra), rule = std::string(rule)](
          absl::string_view what, absl::string_view value, SlurmSettings& s) {
        if (!AllOf(value, extra) || absl::StartsWith(value, "-")) {
          return Invalid(what, value, rule);
        }
        s.*field = std::string(value);
        return absl::OkStatus();
      };
}

Setter Host(std::string SshTarget::*field) {
  return [field](absl::string_view what, absl::string_view value,
                 SlurmSettings& s) {
    if (!AllOf(value, "._:-") || absl::StartsWith(value, "-")) {
      return Invalid(what, value, "expected a host or user name");
    }
    s.login.*field = std::string(value);
    return absl::OkStatus();
  };
}

template <typename Target>
Setter PathIn(Target* (*select)(SlurmSettings&), std::string Target::*field) {
  return [select, field](absl::string_view what, absl::string_view value,
                         SlurmSettings& s) {
    if (!IsPath(value)) return Invalid(what, value, "expected a path");
    select(s)->*field = std::string(value);
    return absl::OkStatus();
  };
}

SlurmSettings* Self(SlurmSettings& s) { return &s; }
SshTarget* Login(SlurmSettings& s) { return &s.login; }

absl::Status SetTimeLimit(absl::string_view what, absl::string_view value,
                          SlurmSettings& s) {
  const bool digits = std::all_of(value.begin(), value.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == ':' ||
           c == '-';
  });
  if (!((digits && !value.empty()) || value == "UNLIMITED" ||
        value == "infinite")) {
    return Invalid(what, value,
                   "expected an sbatch --time value such as 04:00:00");
  }
  s.time_limit = std::string(value);
  return absl::OkStatus();
}

absl::Status SetCpus(absl::string_view what, absl::string_view value,
                     SlurmSettings& s) {
  int cpus = 0;
  if (!absl::SimpleAtoi(value, &cpus) || cpus < 1) {
    return Invalid(what, value, "expected a number of CPUs (1 or more)");
  }
  s.cpus_per_task = cpus;
  return absl::OkStatus();
}

absl::Status SetRuntime(absl::string_view what, absl::string_view value,
                        SlurmSettings& s) {
  if (value == "pyxis") {
    s.runtime = ContainerRuntime::kPyxis;
  } else if (value == "docker") {
    s.runtime = ContainerRuntime::kDocker;
  } else if (value == "none") {
    s.runtime = ContainerRuntime::kNone;
  } else {
    return Invalid(what, value, "expected pyxis, docker or none");
  }
  return absl::OkStatus();
}

absl::Status SetGres(absl::string_view what, absl::string_view value,
                     SlurmSettings& s) {
  if (value != "gpu" && value != "none") {
    return Invalid(what, value,
                   "expected gpu (--gres=gpu:<num_gpus>) or none (no --gres)");
  }
  s.request_gpus = value == "gpu";
  return absl::OkStatus();
}

absl::Status SetSshPort(absl::string_view what, absl::string_view value,
                        SlurmSettings& s) {
  int port = 0;
  if (!absl::SimpleAtoi(value, &port) || port < 1 || port > 65535) {
    return Invalid(what, value, "expected a TCP port (1-65535)");
  }
  s.login.port = port;
  return absl::OkStatus();
}

absl::Status SetWorkDir(absl::string_view what, absl::string_view value,
                        SlurmSettings& s) {
  if (!IsPath(value) ||
      !(absl::StartsWith(value, "/") || absl::StartsWith(value, "~/"))) {
    return Invalid(what, value, "expected an absolute path or one under ~/");
  }
  s.work_dir = std::string(value);
  return absl::OkStatus();
}

absl::Status SetNodePorts(absl::string_view what, absl::string_view value,
                          SlurmSettings& s) {
  std::pair<std::string, std::string> range =
      absl::StrSplit(value, absl::MaxSplits('-', 1));
  int low = 0;
  int high = 0;
  if (!absl::SimpleAtoi(range.first, &low) ||
      !absl::SimpleAtoi(range.second, &high) || low < 1024 || high > 65535 ||
      high - low < 10) {
    return Invalid(what, value,
                   "expected a port range such as 20000-29999 (at least 10 "
                   "ports, from 1024)");
  }
  s.node_port_min = low;
  s.node_port_max = high;
  return absl::OkStatus();
}

// Option keys, with the aliases the per-platform API and callers use.
const std::map<std::string, Setter>& OptionSetters() {
  static const auto* setters = new std::map<std::string, Setter>{
      {"partition", Word(&SlurmSettings::partition, "_.,-",
                         "expected a partition name (comma list allowed)")},
      {"account",
       Word(&SlurmSettings::account, "_.-", "expected an account name")},
      {"time_limit", SetTimeLimit},
      {"cpus_per_task", SetCpus},
      {"cpus", SetCpus},
      {"container_runtime", SetRuntime},
      {"runtime", SetRuntime},
      {"container_mounts", PathIn(Self, &SlurmSettings::container_mounts)},
      {"login_host", Host(&SshTarget::host)},
      {"user", Host(&SshTarget::user)},
      {"ssh_user", Host(&SshTarget::user)},
      {"ssh_key", PathIn(Login, &SshTarget::key_path)},
      {"ssh_port", SetSshPort},
      {"known_hosts", PathIn(Login, &SshTarget::known_hosts)},
      {"tunnel_host",
       Word(&SlurmSettings::tunnel_host, "._:-", "expected a host name")},
      {"gres", SetGres},
      {"path_prepend", PathIn(Self, &SlurmSettings::path_prepend)},
      {"work_dir", SetWorkDir},
  };
  return *setters;
}

// Environment variable -> option it sets.
const std::map<std::string, std::string>& EnvironmentOptions() {
  static const auto* names = new std::map<std::string, std::string>{
      {"SLURM_HOSTNAME", "login_host"},
      {"SLURM_USER", "user"},
      {"SSH_KEY_PATH", "ssh_key"},
      {"SLURM_SSH_PORT", "ssh_port"},
      {"SLURM_SSH_KNOWN_HOSTS", "known_hosts"},
      {"SLURM_TUNNEL_HOST", "tunnel_host"},
      {"SLURM_PARTITION", "partition"},
      {"SLURM_ACCOUNT", "account"},
      {"TAO_SLURM_TIME_LIMIT", "time_limit"},
      {"TAO_SLURM_CPUS_PER_TASK", "cpus_per_task"},
      {"TAO_SLURM_GRES", "gres"},
      {"TAO_SLURM_RUNTIME", "runtime"},
      {"TAO_SLURM_CONTAINER_MOUNTS", "container_mounts"},
      {"TAO_SLURM_PATH_PREPEND", "path_prepend"},
      {"TAO_SLURM_WORK_DIR", "work_dir"},
  };
  return *names;
}

}  // namespace

absl::string_view RuntimeName(ContainerRuntime runtime) {
  switch (runtime) {
    case ContainerRuntime::kPyxis:
      return "pyxis";
    case ContainerRuntime::kDocker:
      return "docker";
    case ContainerRuntime::kNone:
      return "none";
  }
  return "none";
}

Environment ReadProcessEnvironment() {
  Environment env;
  auto read = [&env](const std::string& name) {
    if (const char* value = std::getenv(name.c_str())) env[name] = value;
  };
  for (const auto& entry : EnvironmentOptions()) read(entry.first);
  read("TAO_SLURM_NODE_PORTS");
  return env;
}

absl::StatusOr<SlurmSettings> SettingsFromEnvironment(const Environment& env) {
  SlurmSettings settings;
  for (const auto& [name, value] : env) {
    std::string text(absl::StripAsciiWhitespace(value));
    if (name == "SLURM_HOSTNAME") {
      // A comma list of login hosts: the first one is used.
      std::vector<absl::string_view> hosts = absl::StrSplit(text, ',');
      text = std::string(absl::StripAsciiWhitespace(hosts.front()));
    }
    if (text.empty()) continue;
    absl::Status status;
    if (name == "TAO_SLURM_NODE_PORTS") {
      status = SetNodePorts(name, text, settings);
    } else {
      auto option = EnvironmentOptions().find(name);
      if (option == EnvironmentOptions().end()) continue;
      status = OptionSetters().at(option->second)(name, text, settings);
    }
    if (!status.ok()) return status;
  }
  return settings;
}

absl::Status ApplyOptions(const std::map<std::string, std::string>& options,
                          SlurmSettings& settings) {
  for (const auto& [key, value] : options) {
    auto setter = OptionSetters().find(key);
    if (setter == OptionSetters().end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "slurm.", key,
          ": not an option of slurm (known: partition, account, time_limit, "
          "cpus_per_task, container_runtime, container_mounts, login_host, "
          "user, ssh_key, ssh_port, known_hosts, tunnel_host, gres, "
          "path_prepend, work_dir)"));
    }
    if (value.empty()) continue;  // unset in the request: keep the default
    if (absl::Status s =
            setter->second(absl::StrCat("slurm.", key), value, settings);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

std::string EffectiveTunnelHost(const SlurmSettings& settings) {
  if (!settings.tunnel_host.empty()) return settings.tunnel_host;
  if (!settings.login.host.empty()) return settings.login.host;
  return "127.0.0.1";
}

void StoreAccess(const SlurmSettings& settings,
                 std::map<std::string, std::string>& attributes) {
  auto put = [&attributes](const char* key, const std::string& value) {
    if (!value.empty()) attributes[key] = value;
  };
  put("login_host", settings.login.host);
  put("ssh_user", settings.login.user);
  put("ssh_key", settings.login.key_path);
  if (settings.login.port > 0) {
    attributes["ssh_port"] = absl::StrCat(settings.login.port);
  }
  put("ssh_known_hosts", settings.login.known_hosts);
  attributes["tunnel_host"] = EffectiveTunnelHost(settings);
}

SshTarget LoginFromAttributes(
    const std::map<std::string, std::string>& attributes) {
  auto get = [&attributes](const char* key) {
    auto it = attributes.find(key);
    return it == attributes.end() ? std::string() : it->second;
  };
  SshTarget target;
  target.host = get("login_host");
  target.user = get("ssh_user");
  target.key_path = get("ssh_key");
  target.known_hosts = get("ssh_known_hosts");
  int port = 0;
  if (absl::SimpleAtoi(get("ssh_port"), &port)) target.port = port;
  return target;
}

SshTarget TunnelFromAttributes(
    const std::map<std::string, std::string>& attributes) {
  SshTarget target = LoginFromAttributes(attributes);
  auto it = attributes.find("tunnel_host");
  target.host = it == attributes.end() ? "127.0.0.1" : it->second;
  return target;
}

}  // namespace tao::platforms::slurm
