// Platform options by field name: the mapping to platform names and the
// flattening the server hands to drivers.
#include "proto/support/platform_options.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::inference {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(PlatformOptionsFieldTest, MapsEveryPlatformWithOptions) {
  for (const char* platform :
       {"local-docker", "brev", "lepton", "slurm", "kubernetes"}) {
    const google::protobuf::FieldDescriptor* field =
        PlatformOptionsField(platform);
    ASSERT_NE(field, nullptr) << platform;
    EXPECT_EQ(PlatformOfOptionsField(*field), platform);
  }
  EXPECT_EQ(PlatformOptionsField("local-docker")->name(), "docker");
  EXPECT_EQ(PlatformOptionsField("test"), nullptr);
  EXPECT_EQ(PlatformOptionsField("docker"), nullptr);
  EXPECT_EQ(PlatformOptionsField("network_arch"), nullptr);
}

TEST(FlattenOptionsTest, SetFieldsByNameListsJoined) {
  v1::DockerOptions docker;
  docker.set_network("lab");
  docker.add_gpu_device_ids("0");
  docker.add_gpu_device_ids("2");
  EXPECT_THAT(FlattenOptions(docker), ElementsAre(Pair("gpu_device_ids", "0,2"),
                                                  Pair("network", "lab")));

  v1::SlurmOptions slurm;
  slurm.set_partition("gpu");
  slurm.set_cpus_per_task(8);
  EXPECT_THAT(FlattenOptions(slurm), ElementsAre(Pair("cpus_per_task", "8"),
                                                 Pair("partition", "gpu")));

  v1::KubernetesOptions kubernetes;
  kubernetes.set_namespace_("ml");
  EXPECT_THAT(FlattenOptions(kubernetes), ElementsAre(Pair("namespace", "ml")));
}

TEST(FlattenOptionsTest, EmptyStringsAndZerosAreUnset) {
  v1::SlurmOptions slurm;
  slurm.set_partition("");
  slurm.set_cpus_per_task(0);
  EXPECT_THAT(FlattenOptions(slurm), IsEmpty());
}

}  // namespace
}  // namespace tao::inference
