#include "platforms/local_docker/container_config.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/local_docker/labels.h"

namespace tao::platforms::local_docker {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

LaunchSpec Spec() {
  LaunchSpec spec;
  spec.job_id = "2b1f3c4d-0000-4000-8000-000000000001";
  spec.network_arch = "cosmos-rl";
  spec.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
  spec.inner_command = [](int port) {
    return absl::StrCat("umask 0 && serve --port ", port);
  };
  spec.env = {{"TAO_EXECUTION_BACKEND", "local-docker"},
              {"CLOUD_BASED", "False"}};
  spec.secret_env = {{"HF_TOKEN", "hf_secret_value"}};
  spec.host_port = 8081;
  spec.server_instance = "server-a";
  return spec;
}

ContainerDefaults Defaults() { return ContainerDefaults(); }

nlohmann::json Body(const LaunchSpec& spec, const ContainerDefaults& defaults) {
  absl::StatusOr<ContainerChoices> choices = ResolveChoices(spec, defaults);
  EXPECT_TRUE(choices.ok()) << choices.status();
  return CreateContainerBody(spec, *choices, defaults);
}

TEST(DockerCreateContainerBodyTest, RunsTheInnerCommandForPort8080WithBash) {
  nlohmann::json body = Body(Spec(), Defaults());
  EXPECT_EQ(body["Image"], "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl");
  EXPECT_EQ(body["Cmd"],
            nlohmann::json::array(
                {"/bin/bash", "-c", "umask 0 && serve --port 8080"}));
  EXPECT_FALSE(body.contains("Entrypoint"));  // the image's stays
  EXPECT_EQ(body["Tty"], false);              // logs are multiplexed
}

TEST(DockerCreateContainerBodyTest, EnvHoldsPayloadAndSecretsLabelsDoNot) {
  nlohmann::json body = Body(Spec(), Defaults());
  std::vector<std::string> env = body["Env"];
  EXPECT_THAT(env, Contains("TAO_EXECUTION_BACKEND=local-docker"));
  EXPECT_THAT(env, Contains("CLOUD_BASED=False"));
  EXPECT_THAT(env, Contains("HF_TOKEN=hf_secret_value"));
  EXPECT_THAT(body["Labels"].dump(), Not(HasSubstr("hf_secret_value")));
  EXPECT_THAT(body["Cmd"].dump(), Not(HasSubstr("hf_secret_value")));
  EXPECT_THAT(body["HostConfig"].dump(), Not(HasSubstr("hf_secret_value")));
}

TEST(DockerCreateContainerBodyTest, LabelsMarkTheContainerAsOurs) {
  nlohmann::json labels = Body(Spec(), Defaults())["Labels"];
  EXPECT_EQ(labels[kLabelJobId], "2b1f3c4d-0000-4000-8000-000000000001");
  EXPECT_EQ(labels[kLabelNetworkArch], "cosmos-rl");
  EXPECT_EQ(labels[kLabelServerInstance], "server-a");
  EXPECT_EQ(labels[kLabelSkillJob], "2b1f3c4d-0000-4000-8000-000000000001");
}

TEST(DockerCreateContainerBodyTest, PublishesPort8080OnBindAddressAndHostPort) {
  LaunchSpec spec = Spec();
  spec.options["bind_address"] = "0.0.0.0";
  nlohmann::json body = Body(spec, Defaults());
  EXPECT_TRUE(body["ExposedPorts"].contains("8080/tcp"));
  EXPECT_EQ(
      body["HostConfig"]["PortBindings"]["8080/tcp"],
      nlohmann::json::parse(R"([{"HostIp":"0.0.0.0","HostPort":"8081"}])"));
  EXPECT_EQ(
      Body(Spec(),
           Defaults())["HostConfig"]["PortBindings"]["8080/tcp"][0]["HostIp"],
      "127.0.0.1");
}

TEST(DockerCreateContainerBodyTest, NetworkAndShmSize) {
  ContainerDefaults defaults = Defaults();
  defaults.shm_size_bytes = int64_t{8} << 30;
  nlohmann::json host = Body(Spec(), defaults)["HostConfig"];
  EXPECT_EQ(host["NetworkMode"], "tao_default");
  EXPECT_EQ(host["ShmSize"], int64_t{8} << 30);
  LaunchSpec spec = Spec();
  spec.options["network"] = "team_net";
  EXPECT_EQ(Body(spec, defaults)["HostConfig"]["NetworkMode"], "team_net");
}

struct GpuCase {
  const char* name;
  int num_gpus;
  const char* device_ids;  // option gpu_device_ids
  bool gpus_enabled;
  bool tegra;
  const char* device_requests;  // JSON or "" for none
  const char* runtime;          // "" for none
  const char* visible_devices;  // NVIDIA_VISIBLE_DEVICES or ""
};

TEST(DockerCreateContainerBodyTest, GpuModes) {
  const GpuCase cases[] = {
      {"count", 2, "", true, false,
       R"([{"Driver":"","Count":2,"Capabilities":[["gpu"]],"Options":{}}])", "",
       ""},
      {"ids", 1, "0, 3", true, false,
       R"([{"Driver":"","Count":0,"DeviceIDs":["0","3"],"Capabilities":[["gpu"]],"Options":{}}])",
       "", ""},
      {"disabled", 4, "", false, false, "", "", ""},
      {"zero", 0, "", true, false, "", "", ""},
      {"tegra", 1, "", true, true, "", "nvidia", "all"},
      {"tegra ids", 1, "0", true, true, "", "nvidia", "0"},
      {"tegra disabled", 1, "", false, true, "", "", ""},
  };
  for (const GpuCase& c : cases) {
    SCOPED_TRACE(c.name);
    LaunchSpec spec = Spec();
    spec.num_gpus = c.num_gpus;
    if (*c.device_ids) spec.options["gpu_device_ids"] = c.device_ids;
    ContainerDefaults defaults = Defaults();
    defaults.gpus_enabled = c.gpus_enabled;
    defaults.tegra = c.tegra;
    nlohmann::json body = Body(spec, defaults);
    const nlohmann::json& host = body["HostConfig"];
    if (*c.device_requests) {
      EXPECT_EQ(host["DeviceRequests"],
                nlohmann::json::parse(c.device_requests));
    } else {
      EXPECT_FALSE(host.contains("DeviceRequests"));
    }
    EXPECT_EQ(host.value("Runtime", ""), c.runtime);
    std::vector<std::string> env = body["Env"];
    if (*c.visible_devices) {
      EXPECT_THAT(env, Contains(absl::StrCat("NVIDIA_VISIBLE_DEVICES=",
                                             c.visible_devices)));
      EXPECT_THAT(env, Contains("NVIDIA_DRIVER_CAPABILITIES=all"));
    } else {
      EXPECT_THAT(absl::StrJoin(env, " "), Not(HasSubstr("NVIDIA_")));
    }
  }
}

struct BadCase {
  const char* name;
  std::function<void(LaunchSpec&)> change;
  const char* field;
};

TEST(DockerResolveChoicesTest, RejectsBadInputNamingTheField) {
  const BadCase cases[] = {
      {"bind", [](LaunchSpec& s) { s.options["bind_address"] = "localhost"; },
       "docker.bind_address"},
      {"network", [](LaunchSpec& s) { s.options["network"] = "bad name"; },
       "docker.network"},
      {"host network", [](LaunchSpec& s) { s.options["network"] = "host"; },
       "docker.network"},
      {"gpu ids", [](LaunchSpec& s) { s.options["gpu_device_ids"] = "0,,1"; },
       "docker.gpu_device_ids"},
      {"unknown", [](LaunchSpec& s) { s.options["partition"] = "debug"; },
       "docker.partition"},
      {"job id", [](LaunchSpec& s) { s.job_id = "/etc"; }, "job_id"},
      {"image", [](LaunchSpec& s) { s.image.clear(); }, "image"},
      {"port", [](LaunchSpec& s) { s.host_port = 0; }, "host_port"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.name);
    LaunchSpec spec = Spec();
    c.change(spec);
    absl::StatusOr<ContainerChoices> choices = ResolveChoices(spec, Defaults());
    ASSERT_FALSE(choices.ok());
    EXPECT_EQ(choices.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(choices.status().message()),
                ::testing::StartsWith(absl::StrCat(c.field, ": ")));
  }
}

TEST(DockerResolveChoicesTest, EmptyOptionsAreUnset) {
  LaunchSpec spec = Spec();
  spec.options = {{"bind_address", ""}, {"network", ""}, {"instance_id", ""}};
  absl::StatusOr<ContainerChoices> choices = ResolveChoices(spec, Defaults());
  ASSERT_TRUE(choices.ok()) << choices.status();
  EXPECT_EQ(choices->bind_address, "127.0.0.1");
  EXPECT_EQ(choices->network, "tao_default");
  EXPECT_TRUE(choices->gpu_device_ids.empty());
}

TEST(DockerResolveChoicesTest, GpuIdsAreRefusedWhenGpusAreOff) {
  LaunchSpec spec = Spec();
  spec.options["gpu_device_ids"] = "0";
  ContainerDefaults defaults = Defaults();
  defaults.gpus_enabled = false;
  absl::StatusOr<ContainerChoices> choices = ResolveChoices(spec, defaults);
  ASSERT_FALSE(choices.ok());
  EXPECT_THAT(std::string(choices.status().message()),
              HasSubstr("TAO_DOCKER_GPUS=none"));
}

TEST(DockerHostUrlTest, LoopbackAndWildcardAreLocalhost) {
  EXPECT_EQ(HostUrl("127.0.0.1", 8080), "http://localhost:8080");
  EXPECT_EQ(HostUrl("0.0.0.0", 8081), "http://localhost:8081");
  EXPECT_EQ(HostUrl("::", 8082), "http://localhost:8082");
  EXPECT_EQ(HostUrl("10.1.2.3", 8083), "http://10.1.2.3:8083");
  EXPECT_EQ(HostUrl("fd00::5", 8084), "http://[fd00::5]:8084");
}

TEST(DockerResolveChoicesTest, AFailedOrEmptyInnerCommandIsRefused) {
  LaunchSpec failing = Spec();
  failing.inner_command = [](int) -> absl::StatusOr<std::string> {
    return absl::InvalidArgumentError("container_port: not for this model");
  };
  EXPECT_EQ(ResolveChoices(failing, Defaults()).status().message(),
            "container_port: not for this model");
  LaunchSpec empty = Spec();
  empty.inner_command = [](int) { return std::string(); };
  EXPECT_EQ(ResolveChoices(empty, Defaults()).status().code(),
            absl::StatusCode::kInvalidArgument);
  LaunchSpec none = Spec();
  none.inner_command = nullptr;
  EXPECT_EQ(ResolveChoices(none, Defaults()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DockerPlacementTest, InspectAnswerGivesBackTheLaunchPlacement) {
  const LaunchSpec spec = Spec();
  absl::StatusOr<ContainerChoices> choices = ResolveChoices(spec, Defaults());
  ASSERT_TRUE(choices.ok());
  const nlohmann::json body = CreateContainerBody(spec, *choices, Defaults());
  // What the engine answers for a container created from `body`.
  nlohmann::json inspect = {{"Id", "3f2a9c"},
                            {"Config", {{"Labels", body["Labels"]}}},
                            {"HostConfig", body["HostConfig"]}};
  const Placement placement = PlacementFromInspect(inspect);
  const Placement launched =
      ContainerPlacement(spec.job_id, "3f2a9c", choices->network,
                         choices->bind_address, spec.host_port);
  EXPECT_EQ(placement.job_id, spec.job_id);
  EXPECT_EQ(placement.host_port, 8081);
  EXPECT_EQ(placement.host_url, "http://localhost:8081");
  EXPECT_EQ(placement.docker_url, launched.docker_url);
  EXPECT_EQ(placement.attributes, launched.attributes);

  const Placement bare = PlacementFromInspect(nlohmann::json::object());
  EXPECT_EQ(bare.job_id, "");
  EXPECT_EQ(bare.host_port, 0);
}

}  // namespace
}  // namespace tao::platforms::local_docker
