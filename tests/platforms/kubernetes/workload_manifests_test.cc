// The names and manifests of a service's Kubernetes objects.
#include "platforms/kubernetes/workload_manifests.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/kubernetes/object_names.h"

namespace tao::platforms::kubernetes {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kJobId[] = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

WorkloadInputs Inputs() {
  WorkloadInputs in;
  in.name = *ObjectName(kJobId);
  in.namespace_ = "ml";
  in.job_id = kJobId;
  in.network_arch = "cosmos-predict2.5";
  in.server_instance = "inferd@host:1";
  in.image = "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl";
  in.inner_command = "exec serve --port 8080";
  in.env = {{"TAO_API_JOB_ID", kJobId}, {"TAO_EXECUTION_BACKEND", "k8s"}};
  in.secret_env = {{"HF_TOKEN", "hf_manifest_canary"}};
  in.num_gpus = 2;
  in.image_pull_secret = "ngc";
  return in;
}

TEST(ObjectNamesTest, NameIsADns1035LabelFromTheJobId) {
  absl::StatusOr<std::string> name = ObjectName(kJobId);
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(*name, absl::StrCat("tao-", kJobId));
  EXPECT_TRUE(IsDns1035Label(*name));
  EXPECT_FALSE(ObjectName("Upper_Case").ok());
  EXPECT_FALSE(ObjectName(std::string(60, 'a')).ok());  // over 63
  EXPECT_FALSE(IsDns1035Label("1abc"));
  EXPECT_FALSE(IsDns1035Label("abc-"));
  EXPECT_FALSE(IsDns1035Label(""));
}

TEST(ObjectNamesTest, LabelValuesAreMadeValid) {
  EXPECT_EQ(LabelValue("cosmos-predict2.5"), "cosmos-predict2.5");
  EXPECT_EQ(LabelValue("inferd@host:1"), "inferd-host-1");
  EXPECT_EQ(LabelValue("-x-"), "x");
  EXPECT_EQ(LabelValue(std::string(80, 'a')).size(), 63u);
  EXPECT_EQ(LabelValue("@@@"), "");
}

TEST(WorkloadManifestsTest, JobRunsTheInnerCommandOnceWithGpusAndShm) {
  const nlohmann::json job = JobManifest(Inputs());
  EXPECT_EQ(job["apiVersion"], "batch/v1");
  EXPECT_EQ(job["kind"], "Job");
  EXPECT_EQ(job["metadata"]["name"], absl::StrCat("tao-", kJobId));
  EXPECT_EQ(job["metadata"]["namespace"], "ml");
  EXPECT_EQ(job["metadata"]["labels"][kLabelServerInstance], "inferd-host-1");
  EXPECT_EQ(job["metadata"]["annotations"][kAnnotationServerInstance],
            "inferd@host:1");
  EXPECT_EQ(job["spec"]["backoffLimit"], 0);
  EXPECT_EQ(job["spec"]["ttlSecondsAfterFinished"], 3600);
  const nlohmann::json& pod = job["spec"]["template"]["spec"];
  EXPECT_EQ(pod["restartPolicy"], "Never");
  EXPECT_EQ(pod["imagePullSecrets"][0]["name"], "ngc");
  const nlohmann::json& container = pod["containers"][0];
  EXPECT_EQ(container["name"], kContainerName);
  EXPECT_EQ(container["command"],
            nlohmann::json({"/bin/bash", "-c", "exec serve --port 8080"}));
  EXPECT_EQ(container["resources"]["limits"]["nvidia.com/gpu"], "2");
  EXPECT_EQ(container["envFrom"][0]["secretRef"]["name"],
            job["metadata"]["name"]);
  EXPECT_EQ(container["env"][0]["name"], "TAO_API_JOB_ID");
  EXPECT_EQ(container["ports"][0]["containerPort"], kServicePort);
  EXPECT_EQ(container["volumeMounts"][0]["mountPath"], "/dev/shm");
  EXPECT_EQ(pod["volumes"][0]["emptyDir"]["medium"], "Memory");
  EXPECT_EQ(pod["volumes"][0]["emptyDir"]["sizeLimit"], "16Gi");
  // The pod template carries the same labels (ListOwned finds pods too).
  EXPECT_EQ(job["spec"]["template"]["metadata"]["labels"],
            job["metadata"]["labels"]);
}

TEST(WorkloadManifestsTest, SecretsAreOnlyInTheSecret) {
  const WorkloadInputs in = Inputs();
  EXPECT_THAT(JobManifest(in).dump(), Not(HasSubstr("hf_manifest_canary")));
  EXPECT_THAT(ServiceManifest(in).dump(), Not(HasSubstr("hf_manifest_canary")));
  const nlohmann::json secret = SecretManifest(in);
  EXPECT_EQ(secret["kind"], "Secret");
  EXPECT_EQ(secret["type"], "Opaque");
  EXPECT_EQ(secret["stringData"]["HF_TOKEN"], "hf_manifest_canary");
  EXPECT_EQ(secret["metadata"]["name"], in.name);
}

TEST(WorkloadManifestsTest, NoSecretsNoGpusNoPullSecret) {
  WorkloadInputs in = Inputs();
  in.secret_env.clear();
  in.num_gpus = 0;
  in.image_pull_secret.clear();
  const nlohmann::json job = JobManifest(in);
  const nlohmann::json& pod = job["spec"]["template"]["spec"];
  EXPECT_FALSE(pod.contains("imagePullSecrets"));
  EXPECT_FALSE(pod["containers"][0].contains("envFrom"));
  EXPECT_FALSE(pod["containers"][0].contains("resources"));
}

TEST(WorkloadManifestsTest, ServiceSelectsTheJobsPodOnPort8080) {
  WorkloadInputs in = Inputs();
  in.service_type = "NodePort";
  const nlohmann::json service = ServiceManifest(in);
  EXPECT_EQ(service["apiVersion"], "v1");
  EXPECT_EQ(service["spec"]["type"], "NodePort");
  EXPECT_EQ(service["spec"]["selector"]["job-name"], in.name);
  EXPECT_EQ(service["spec"]["ports"][0]["port"], 8080);
  EXPECT_EQ(service["spec"]["ports"][0]["targetPort"], 8080);
  EXPECT_TRUE(IsDns1035Label(service["metadata"]["name"].get<std::string>()));
}

}  // namespace
}  // namespace tao::platforms::kubernetes
