#include "platforms/lepton/deployment_spec.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platforms/lepton/deployment_names.h"

namespace tao::platforms::lepton {
namespace {

using json = nlohmann::json;

constexpr const char* kReservedEnv[] = {
    "LEPTON_WORKSPACE_ID", "LEPTON_DEPLOYMENT_NAME",
    "LEPTON_RESOURCE_ACCELERATOR_TYPE", "LEPTON_WORKSPACE_ORIGIN_URL"};

absl::Status CheckEnvName(const std::string& name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("an environment variable has no name");
  }
  for (const char* reserved : kReservedEnv) {
    if (name == reserved) {
      return absl::InvalidArgumentError(absl::StrCat(
          "environment variable ", name, " is reserved by Lepton"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckInputs(const DeploymentInputs& in) {
  if (!IsDeploymentName(in.name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", in.name,
        "\" is no Lepton deployment name (at most 32 lower-case letters, "
        "digits and '-', starting with a letter)"));
  }
  if (in.image.empty()) return absl::InvalidArgumentError("no image");
  if (in.inner_command.empty()) {
    return absl::InvalidArgumentError("no command");
  }
  if (in.resource_shape.empty()) {
    return absl::InvalidArgumentError("no Lepton resource shape");
  }
  if (in.shared_memory_mib < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shared memory of ", in.shared_memory_mib, " MiB is negative"));
  }
  if (in.api_token.empty()) {
    // An empty api_tokens list makes the endpoint public ([S]
    // deployment.py make_token_vars_from_config).
    return absl::InvalidArgumentError("no API token for the endpoint");
  }
  for (const auto& [name, value] : in.env) {
    if (absl::Status s = CheckEnvName(name); !s.ok()) return s;
  }
  for (const auto& [name, secret] : in.secret_env_refs) {
    if (absl::Status s = CheckEnvName(name); !s.ok()) return s;
    if (in.env.count(name) > 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "environment variable ", name, " is both plain and secret"));
    }
    if (secret.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "secret environment variable ", name, " names no Lepton secret"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<json> DeploymentBody(const DeploymentInputs& in) {
  if (absl::Status s = CheckInputs(in); !s.ok()) return s;

  json labels = {{kLabelManagedBy, kManagedByValue}};
  if (!in.job_id.empty()) labels[kLabelJobId] = in.job_id;
  if (!in.server_instance.empty()) {
    labels[kLabelServerInstance] = in.server_instance;
  }
  if (!in.network_arch.empty()) labels[kLabelNetworkArch] = in.network_arch;

  json resources = {
      {"resource_shape", absl::AsciiStrToLower(in.resource_shape)},
      {"min_replicas", 1},
      {"max_replicas", 1}};
  if (!in.node_group_ids.empty()) {
    resources["affinity"] = {
        {"allowed_dedicated_node_groups", in.node_group_ids}};
  }
  // A deployment's shm sits inside resource_requirement (a job's at the
  // top of spec: types/job.py).
  if (in.shared_memory_mib > 0) {
    resources["shared_memory_size"] = in.shared_memory_mib;
  }

  json envs = json::array();
  for (const auto& [name, value] : in.env) {
    envs.push_back({{"name", name}, {"value", value}});
  }
  for (const auto& [name, secret] : in.secret_env_refs) {
    envs.push_back(
        {{"name", name}, {"value_from", {{"secret_name_ref", secret}}}});
  }

  json spec = {
      {"container",
       {{"image", in.image},
        // As `lep endpoint create --container-command` wraps it.
        {"command", {"/bin/bash", "-c", in.inner_command}},
        {"ports", {{{"container_port", kServicePort}}}}}},
      {"resource_requirement", std::move(resources)},
      {"api_tokens", {{{"value", in.api_token}}}},
      // The CLI's default scales an idle endpoint to zero after an hour and
      // Lepton cannot scale up from zero (D2); 0 disables it. Whether an
      // omitted field means that default server-side is not verified.
      {"auto_scaler", {{"scale_down", {{"no_traffic_timeout", 0}}}}}};
  if (!envs.empty()) spec["envs"] = std::move(envs);
  if (!in.image_pull_secrets.empty()) {
    spec["image_pull_secrets"] = in.image_pull_secrets;
  }

  return json{
      {"metadata",
       {{"id", in.name}, {"name", in.name}, {"labels", std::move(labels)}}},
      {"spec", std::move(spec)}};
}

}  // namespace tao::platforms::lepton
