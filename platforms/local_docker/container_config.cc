#include "platforms/local_docker/container_config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platforms/local_docker/labels.h"

namespace tao::platforms::local_docker {
namespace {

constexpr char kContainerPortKey[] = "8080/tcp";

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

// Docker's rule for container (and our rule for network) names.
bool IsDockerName(absl::string_view name) {
  if (name.empty() ||
      !absl::ascii_isalnum(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           c == '.' || c == '-';
  });
}

bool IsIpAddress(const std::string& text) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool IsGpuId(absl::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
           c == '_' || c == ':' || c == '.';
  });
}

std::string OptionOr(const std::map<std::string, std::string>& options,
                     const std::string& key, const std::string& fallback) {
  auto it = options.find(key);
  return it == options.end() || it->second.empty() ? fallback : it->second;
}

}  // namespace

absl::StatusOr<ContainerChoices> ResolveOptions(
    const std::map<std::string, std::string>& options,
    const ContainerDefaults& defaults) {
  for (const auto& [key, value] : options) {
    if (value.empty()) continue;  // unset: the default applies
    if (std::find(std::begin(kOptionKeys), std::end(kOptionKeys), key) ==
        std::end(kOptionKeys)) {
      return Invalid(absl::StrCat("docker.", key),
                     absl::StrCat("not an option of local-docker (known: ",
                                  absl::StrJoin(kOptionKeys, ", "), ")"));
    }
  }

  ContainerChoices choices;
  choices.bind_address =
      OptionOr(options, "bind_address", defaults.bind_address);
  if (!IsIpAddress(choices.bind_address)) {
    return Invalid("docker.bind_address",
                   absl::StrCat("'", choices.bind_address,
                                "' is not an IP address (e.g. 127.0.0.1 or "
                                "0.0.0.0)"));
  }
  choices.network = OptionOr(options, "network", defaults.network);
  if (!IsDockerName(choices.network)) {
    return Invalid(
        "docker.network",
        absl::StrCat("'", choices.network, "' is not a Docker network name"));
  }
  if (choices.network == "host" || choices.network == "none") {
    return Invalid("docker.network",
                   absl::StrCat("network '", choices.network,
                                "' cannot publish the service port; use a "
                                "bridge network such as tao_default"));
  }
  const std::string ids = OptionOr(options, "gpu_device_ids", "");
  if (!ids.empty()) {
    if (!defaults.gpus_enabled) {
      return Invalid("docker.gpu_device_ids",
                     "this server runs containers without GPUs "
                     "(TAO_DOCKER_GPUS=none)");
    }
    for (absl::string_view id : absl::StrSplit(ids, ',')) {
      id = absl::StripAsciiWhitespace(id);
      if (!IsGpuId(id)) {
        return Invalid("docker.gpu_device_ids",
                       absl::StrCat("'", ids,
                                    "' is not a comma-separated list of GPU "
                                    "ids (e.g. 0,1 or GPU-<uuid>)"));
      }
      choices.gpu_device_ids.emplace_back(id);
    }
  }
  return choices;
}

absl::StatusOr<ContainerChoices> ResolveChoices(
    const LaunchSpec& spec, const ContainerDefaults& defaults) {
  if (!IsDockerName(spec.job_id)) {
    return Invalid("job_id", absl::StrCat("'", spec.job_id,
                                          "' cannot name a Docker container"));
  }
  if (spec.image.empty()) return Invalid("image", "no image to run");
  if (spec.host_port <= 0 || spec.host_port > 65535) {
    return Invalid("host_port",
                   absl::StrCat(spec.host_port,
                                " is not a port; local-docker publishes the "
                                "service on a host port from the pool"));
  }
  if (spec.num_gpus < 0) {
    return Invalid("num_gpus", absl::StrCat(spec.num_gpus, " is negative"));
  }
  if (!spec.inner_command) {
    return absl::InvalidArgumentError("the launch has no inner command");
  }
  absl::StatusOr<std::string> command =
      spec.inner_command(kDefaultContainerPort);
  if (!command.ok()) return command.status();
  if (command->empty()) {
    return absl::InvalidArgumentError("the launch's inner command is empty");
  }
  absl::StatusOr<ContainerChoices> choices =
      ResolveOptions(spec.options, defaults);
  if (!choices.ok()) return choices.status();
  choices->command = *std::move(command);
  return choices;
}

nlohmann::json CreateContainerBody(const LaunchSpec& spec,
                                   const ContainerChoices& choices,
                                   const ContainerDefaults& defaults) {
  std::map<std::string, std::string> env = spec.env;
  for (const auto& [name, value] : spec.secret_env) env[name] = value;

  nlohmann::json host_config = {
      {"PortBindings",
       {{kContainerPortKey,
         nlohmann::json::array(
             {{{"HostIp", choices.bind_address},
               {"HostPort", absl::StrCat(spec.host_port)}}})}}},
      {"NetworkMode", choices.network},
      {"ShmSize", defaults.shm_size_bytes},
      {"RestartPolicy", {{"Name", "no"}}},
  };
  const bool wants_gpus =
      defaults.gpus_enabled &&
      (spec.num_gpus > 0 || !choices.gpu_device_ids.empty());
  if (wants_gpus && defaults.tegra) {
    host_config["Runtime"] = "nvidia";
    env["NVIDIA_DRIVER_CAPABILITIES"] = "all";
    env["NVIDIA_VISIBLE_DEVICES"] =
        choices.gpu_device_ids.empty()
            ? std::string("all")
            : absl::StrJoin(choices.gpu_device_ids, ",");
  } else if (wants_gpus) {
    nlohmann::json request = {
        {"Driver", ""},
        {"Capabilities",
         nlohmann::json::array({nlohmann::json::array({"gpu"})})},
        {"Options", nlohmann::json::object()}};
    if (choices.gpu_device_ids.empty()) {
      request["Count"] = spec.num_gpus;
    } else {
      request["Count"] = 0;
      request["DeviceIDs"] = choices.gpu_device_ids;
    }
    host_config["DeviceRequests"] = nlohmann::json::array({request});
  }

  nlohmann::json env_list = nlohmann::json::array();
  for (const auto& [name, value] : env) {
    env_list.push_back(absl::StrCat(name, "=", value));
  }
  nlohmann::json labels = {{kLabelJobId, spec.job_id},
                           {kLabelNetworkArch, spec.network_arch},
                           {kLabelServerInstance, spec.server_instance},
                           {kLabelSkillJob, spec.job_id}};
  return {
      {"Image", spec.image},
      {"Cmd", nlohmann::json::array({"/bin/bash", "-c", choices.command})},
      {"Env", env_list},
      {"Labels", labels},
      {"ExposedPorts", {{kContainerPortKey, nlohmann::json::object()}}},
      {"Tty", false},
      {"OpenStdin", false},
      {"HostConfig", host_config},
  };
}

std::string HostUrl(const std::string& bind_address, int host_port) {
  if (bind_address == "0.0.0.0" || bind_address == "::" ||
      absl::StartsWith(bind_address, "127.") || bind_address == "::1") {
    return absl::StrCat("http://localhost:", host_port);
  }
  if (absl::StrContains(bind_address, ':')) {
    return absl::StrCat("http://[", bind_address, "]:", host_port);
  }
  return absl::StrCat("http://", bind_address, ":", host_port);
}

Placement ContainerPlacement(const std::string& job_id,
                             const std::string& container_id,
                             const std::string& network,
                             const std::string& bind_address, int host_port) {
  Placement placement;
  placement.job_id = job_id;
  placement.host_port = host_port;
  placement.host_url = HostUrl(bind_address, host_port);
  placement.docker_url =
      absl::StrCat("http://", job_id, ":", kDefaultContainerPort);
  placement.attributes["container_id"] = container_id;
  placement.attributes["network"] = network;
  placement.attributes["bind_address"] = bind_address;
  return placement;
}

Placement PlacementFromInspect(const nlohmann::json& inspect) {
  auto object = [](const nlohmann::json& parent, const char* key) {
    return parent.is_object() && parent.contains(key) && parent[key].is_object()
               ? parent[key]
               : nlohmann::json::object();
  };
  auto text = [](const nlohmann::json& parent, const char* key) {
    return parent.is_object() && parent.contains(key) && parent[key].is_string()
               ? parent[key].get<std::string>()
               : std::string();
  };
  const nlohmann::json config = object(inspect, "Config");
  const nlohmann::json host_config = object(inspect, "HostConfig");
  const nlohmann::json bindings = object(host_config, "PortBindings");
  std::string bind_address;
  int host_port = 0;
  if (bindings.contains(kContainerPortKey) &&
      bindings[kContainerPortKey].is_array() &&
      !bindings[kContainerPortKey].empty()) {
    const nlohmann::json& binding = bindings[kContainerPortKey][0];
    bind_address = text(binding, "HostIp");
    if (!absl::SimpleAtoi(text(binding, "HostPort"), &host_port)) {
      host_port = 0;
    }
  }
  return ContainerPlacement(
      text(object(config, "Labels"), kLabelJobId), text(inspect, "Id"),
      text(host_config, "NetworkMode"), bind_address, host_port);
}

}  // namespace tao::platforms::local_docker
