#include "platforms/lepton/deployment_spec.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::lepton {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kApiToken[] = "endpoint-SECRET-token-0123456789abcdef";

DeploymentInputs Inputs() {
  DeploymentInputs in;
  in.name = "tao-1b4e28ba2fa111d2883f0016d3cc";
  in.job_id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  in.server_instance = "host-a";
  in.network_arch = "cosmos-rl";
  in.image = "nvcr.io/nvidia/tao/tao-toolkit:6.0";
  in.inner_command = "exec serve --port 8080";
  in.resource_shape = "GPU.8xH100-SXM";
  in.node_group_ids = {"ng-1"};
  in.shared_memory_mib = 131072;
  in.env = {{"TAO_API_JOB_ID", in.job_id}};
  in.secret_env_refs = {{"HF_TOKEN", "tao-1b4e28ba-hf-token"}};
  in.image_pull_secrets = {"tao-image-pull-secret"};
  in.api_token = kApiToken;
  return in;
}

TEST(DeploymentBodyTest, TheReferencesCreateBody) {
  absl::StatusOr<json> body = DeploymentBody(Inputs());
  ASSERT_TRUE(body.ok()) << body.status();
  const json expected = json::parse(R"({
    "metadata": {"id": "tao-1b4e28ba2fa111d2883f0016d3cc",
                 "name": "tao-1b4e28ba2fa111d2883f0016d3cc",
                 "labels": {
                   "app.kubernetes.io/managed-by": "tao-inference",
                   "inference.tao.nvidia.com/job-id":
                       "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                   "inference.tao.nvidia.com/server-instance": "host-a",
                   "inference.tao.nvidia.com/network-arch": "cosmos-rl"}},
    "spec": {
      "container": {"image": "nvcr.io/nvidia/tao/tao-toolkit:6.0",
                    "command": ["/bin/bash", "-c", "exec serve --port 8080"],
                    "ports": [{"container_port": 8080}]},
      "resource_requirement": {
        "resource_shape": "gpu.8xh100-sxm", "min_replicas": 1,
        "max_replicas": 1,
        "affinity": {"allowed_dedicated_node_groups": ["ng-1"]},
        "shared_memory_size": 131072},
      "envs": [{"name": "TAO_API_JOB_ID",
                "value": "1b4e28ba-2fa1-11d2-883f-0016d3cca427"},
               {"name": "HF_TOKEN",
                "value_from": {"secret_name_ref": "tao-1b4e28ba-hf-token"}}],
      "image_pull_secrets": ["tao-image-pull-secret"],
      "api_tokens": [{"value": "endpoint-SECRET-token-0123456789abcdef"}],
      "auto_scaler": {"scale_down": {"no_traffic_timeout": 0}}}})");
  EXPECT_EQ(*body, expected) << body->dump(2);
}

TEST(DeploymentBodyTest, OptionalPartsAreLeftOut) {
  DeploymentInputs in = Inputs();
  in.server_instance.clear();
  in.node_group_ids.clear();
  in.shared_memory_mib = 0;
  in.env.clear();
  in.secret_env_refs.clear();
  in.image_pull_secrets.clear();
  absl::StatusOr<json> body = DeploymentBody(in);
  ASSERT_TRUE(body.ok()) << body.status();
  const json& spec = (*body)["spec"];
  EXPECT_FALSE(spec["resource_requirement"].contains("affinity"));
  EXPECT_FALSE(spec["resource_requirement"].contains("shared_memory_size"));
  EXPECT_FALSE(spec.contains("envs"));
  EXPECT_FALSE(spec.contains("image_pull_secrets"));
  EXPECT_FALSE((*body)["metadata"]["labels"].contains(kLabelServerInstance));
  EXPECT_EQ(spec["api_tokens"].size(), 1u);  // never public
}

TEST(DeploymentBodyTest, NoSecretValueEntersTheBody) {
  // The driver holds secret values elsewhere (Lepton user secrets); only
  // the reference is sent.
  absl::StatusOr<json> body = DeploymentBody(Inputs());
  ASSERT_TRUE(body.ok());
  for (const json& env : (*body)["spec"]["envs"]) {
    if (env["name"] == "HF_TOKEN") {
      EXPECT_FALSE(env.contains("value"));
    }
  }
}

TEST(DeploymentBodyTest, BadInputsAreRefusedWithoutTheToken) {
  auto refused = [](DeploymentInputs in) {
    absl::StatusOr<json> body = DeploymentBody(in);
    EXPECT_EQ(body.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(body.status().message());
    EXPECT_THAT(message, Not(HasSubstr(kApiToken)));
    return message;
  };
  DeploymentInputs in = Inputs();
  in.name = "Tao_1";
  EXPECT_THAT(refused(in), HasSubstr("Tao_1"));
  in = Inputs();
  in.image.clear();
  refused(in);
  in = Inputs();
  in.inner_command.clear();
  refused(in);
  in = Inputs();
  in.resource_shape.clear();
  refused(in);
  in = Inputs();
  in.api_token.clear();
  refused(in);
  in = Inputs();
  in.shared_memory_mib = -1;
  refused(in);
  in = Inputs();
  in.env["LEPTON_DEPLOYMENT_NAME"] = "x";
  EXPECT_THAT(refused(in), HasSubstr("LEPTON_DEPLOYMENT_NAME"));
  in = Inputs();
  in.env["HF_TOKEN"] = "plain";
  EXPECT_THAT(refused(in), HasSubstr("HF_TOKEN"));
  in = Inputs();
  in.secret_env_refs["NGC_KEY"] = "";
  EXPECT_THAT(refused(in), HasSubstr("NGC_KEY"));
}

}  // namespace
}  // namespace tao::platforms::lepton
