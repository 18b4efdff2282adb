// kubernetes end to end: the real tao-inferd and the fake API server whose
// pods run the reference-backend test image on the real Docker engine,
// driven through the gRPC stub and tao-infer; kubectl, an independent
// client, checks the objects the driver made against the spec and finds
// none left after Stop.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/kubernetes/object_names.h"
#include "tests/integration/http_probe.h"
#include "tests/integration/kubernetes/kube_e2e_fixture.h"

namespace tao::integration::kubernetes {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using KubeLifecycleTest = KubeE2eTest;
namespace names = platforms::kubernetes;

constexpr int kOk = 0;

// The one object of `kind` among `items` whose name is `name`.
json Find(const json& items, const std::string& kind, const std::string& name) {
  for (const json& item : items) {
    if (item.value("kind", "") == kind &&
        item["metadata"].value("name", "") == name) {
      return item;
    }
  }
  ADD_FAILURE() << "kubectl finds no " << kind << " " << name;
  return json::object();
}

TEST_F(KubeLifecycleTest, BothArchitecturesBehindLoadBalancersThenNothingLeft) {
  const v1::Service rl = calls_.StartReady(StartRequestFor("cosmos-rl"));
  const v1::Service predict =
      calls_.StartReady(StartRequestFor("cosmos-predict2.5"));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  // The fake's load balancer gives each Service a loopback address.
  for (const v1::Service& service : {rl, predict}) {
    EXPECT_THAT(service.host_url(),
                MatchesRegex("http://127\\.0\\.1\\.[0-9]+:8080"));
  }
  EXPECT_NE(rl.host_url(), predict.host_url());

  // Routed by job id and by architecture, to the container behind each.
  v1::InferRequest by_id = E2eCalls::ChatRequest("What is this?", true);
  by_id.set_job_id(rl.job_id());
  v1::InferResponse answer;
  grpc::Status status = calls_.Infer(by_id, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.job_id(), rl.job_id());
  v1::InferRequest video = E2eCalls::ChatRequest("a robot arm", false);
  video.set_network_arch("cosmos-predict2.5");
  status = calls_.Infer(video, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.job_id(), predict.job_id());
  EXPECT_EQ(answer.choices(0).media_mime_type(), "video/mp4");
  v1::InferRequest unaddressed = E2eCalls::ChatRequest("hi", false);
  status = calls_.Infer(unaddressed, &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "two services: the server must not guess";

  v1::ListResponse listed;
  ASSERT_TRUE(calls_.List(&listed).ok());
  std::vector<std::string> listed_ids;
  for (const v1::Service& s : listed.services()) {
    listed_ids.push_back(s.job_id());
    EXPECT_EQ(s.platform(), "kubernetes");
  }
  EXPECT_THAT(listed_ids, UnorderedElementsAre(rl.job_id(), predict.job_id()));

  // The HF_TOKEN reached the container (through the Secret).
  absl::StatusOr<json> launch = GetJson(rl.host_url() + "/_reference/launch");
  ASSERT_TRUE(launch.ok()) << launch.status();
  EXPECT_EQ((*launch)["env"]["HF_TOKEN"], hf_token_);
  EXPECT_EQ((*launch)["env"]["TAO_EXECUTION_BACKEND"], "local-k8s");
  EXPECT_THAT((*launch)["argv"].dump(), Not(HasSubstr(hf_token_)));

  // The objects, as kubectl reads them, against the spec.
  const json objects = ManagedObjects();
  const std::string name = *names::ObjectName(predict.job_id());
  const json job = Find(objects, "Job", name);
  EXPECT_EQ(job["spec"]["backoffLimit"], 0);
  EXPECT_EQ(job["spec"]["ttlSecondsAfterFinished"], 3600);
  const json pod_spec = job["spec"]["template"]["spec"];
  EXPECT_EQ(pod_spec["restartPolicy"], "Never");
  const json container = pod_spec["containers"][0];
  EXPECT_EQ(container["command"],
            json::array({"/bin/bash", "-c",
                         "umask 0 && cosmos_predict inference_microservice "
                         "start --model 'base-2b' --output-dir "
                         "'/tmp/cosmos-predict2.5-output' --port 8080"}));
  EXPECT_EQ(container["image"], kTestImage);
  EXPECT_EQ(container["resources"]["limits"]["nvidia.com/gpu"], "1");
  EXPECT_EQ(container["envFrom"][0]["secretRef"]["name"], name);
  // cosmos-predict2.5 has no env payload (spec); cosmos-rl's goes as env.
  EXPECT_THAT(container.value("env", json::array()), IsEmpty());
  const json rl_env = Find(
      objects, "Job",
      *names::ObjectName(
          rl.job_id()))["spec"]["template"]["spec"]["containers"][0]["env"];
  std::map<std::string, std::string> env;
  for (const json& var : rl_env) env[var["name"]] = var.value("value", "");
  EXPECT_EQ(env["TAO_EXECUTION_BACKEND"], "local-k8s");
  EXPECT_EQ(env["TAO_API_JOB_ID"], rl.job_id());
  EXPECT_EQ(env.count("HF_TOKEN"), 0u) << "a secret as a plain env value";
  const json volume = pod_spec["volumes"][0];
  EXPECT_EQ(volume["emptyDir"]["medium"], "Memory");
  EXPECT_EQ(container["volumeMounts"][0]["mountPath"], "/dev/shm");
  const json labels = job["metadata"]["labels"];
  EXPECT_EQ(labels[names::kLabelJobId], predict.job_id());
  EXPECT_EQ(labels[names::kLabelNetworkArch], "cosmos-predict2.5");
  EXPECT_EQ(labels[names::kLabelManagedBy], names::kManagedByValue);
  EXPECT_EQ(job["metadata"]["annotations"][names::kAnnotationServerInstance],
            server_instance_);
  for (const json& item : objects) {
    if (item.value("kind", "") == "Secret") continue;
    EXPECT_THAT(item.dump(), Not(HasSubstr(hf_token_)))
        << "the HF_TOKEN is outside the Secret, in " << item["kind"];
  }
  const json secret = Find(objects, "Secret", name);
  std::string decoded;
  ASSERT_TRUE(
      absl::Base64Unescape(secret["data"].value("HF_TOKEN", ""), &decoded));
  EXPECT_EQ(decoded, hf_token_);
  EXPECT_EQ(secret["data"].size(), 1u) << "only the secrets the service needs";
  const json service = Find(objects, "Service", name);
  EXPECT_EQ(service["spec"]["type"], "LoadBalancer");
  EXPECT_EQ(service["spec"]["selector"], json({{"job-name", name}}));
  EXPECT_EQ(service["spec"]["ports"][0]["port"], 8080);

  v1::StopResponse stopped;
  ASSERT_TRUE(calls_.Stop(rl.job_id(), &stopped).ok());
  ASSERT_TRUE(calls_.Stop(predict.job_id(), &stopped).ok());
  EXPECT_THAT(ManagedObjects(), IsEmpty())
      << "kubectl still finds objects after Stop";
}

TEST_F(KubeLifecycleTest, NodePortThroughTheCli) {
  const std::string png = server_.dir() + "/in.png";
  std::ofstream(png, std::ios::binary) << TinyPng();
  RunOutput started = calls_.Cli(
      {"start", "--platform", "kubernetes", "--network-arch", "cosmos-rl",
       "--model-path", "hf_model://nvidia/Cosmos-Reason1-7B", "--option",
       "service_type=NodePort", "--wait", "--timeout", "120", "--json"});
  ASSERT_EQ(started.exit_code, kOk) << started.out << started.err << "\n"
                                    << server_.Log();
  RunOutput listed = calls_.Cli({"list", "--json"});
  ASSERT_EQ(listed.exit_code, kOk) << listed.err;
  const json list = StdoutJson(listed);
  ASSERT_EQ(list["services"].size(), 1u) << listed.out;
  const std::string job_id = list["services"][0]["job_id"];
  // The node's address and the Service's node port.
  EXPECT_THAT(list["services"][0].value("host_url", ""),
              MatchesRegex("http://127\\.0\\.0\\.1:29[6-9][0-9]{2}"));
  const json service =
      Find(ManagedObjects("services"), "Service", *names::ObjectName(job_id));
  EXPECT_EQ(service["spec"]["type"], "NodePort");

  RunOutput inferred =
      calls_.Cli({"infer", "--job-id", job_id, "--text", "What is this?",
                  "--image", png, "--accept-defaults", "--json"});
  EXPECT_EQ(inferred.exit_code, kOk) << inferred.err;
  EXPECT_EQ(StdoutJson(inferred).value("job_id", ""), job_id);
  RunOutput by_arch =
      calls_.Cli({"infer", "--network-arch", "cosmos-rl", "--text", "again",
                  "--image", png, "--accept-defaults", "--json"});
  EXPECT_EQ(by_arch.exit_code, kOk) << by_arch.err;
  EXPECT_EQ(StdoutJson(by_arch).value("job_id", ""), job_id);

  RunOutput stopped = calls_.Cli({"stop", job_id, "--yes"});
  EXPECT_EQ(stopped.exit_code, kOk) << stopped.err;
  EXPECT_THAT(ManagedObjects(), IsEmpty());
}

TEST_F(KubeLifecycleTest, ClusterIpThroughTheServersForwardSurvivesARestart) {
  const v1::Service service =
      calls_.StartReady(StartRequestFor("cosmos-rl", "ClusterIP"));
  ASSERT_FALSE(HasFailure()) << server_.Log();
  // A port of this host from the server's pool, forwarded through the API
  // server's Service proxy.
  EXPECT_EQ(service.host_url(),
            absl::StrCat("http://127.0.0.1:", service.host_port()));
  EXPECT_GE(service.host_port(), server_.first_service_port());
  const json objects = ManagedObjects("services");
  EXPECT_EQ(Find(objects, "Service",
                 *names::ObjectName(service.job_id()))["spec"]["type"],
            "ClusterIP");

  v1::InferRequest request = E2eCalls::ChatRequest("What is this?", true);
  request.set_network_arch("cosmos-rl");
  v1::InferResponse answer;
  grpc::Status status = calls_.Infer(request, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.job_id(), service.job_id());

  // The forward belonged to the old process; the new one opens it again
  // on the same port.
  RestartServer();
  ASSERT_FALSE(HasFailure());
  status = calls_.Infer(request, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_.Log();
  EXPECT_EQ(answer.job_id(), service.job_id());
  v1::ListResponse listed;
  ASSERT_TRUE(calls_.List(&listed).ok());
  ASSERT_EQ(listed.services_size(), 1);
  EXPECT_EQ(listed.services(0).host_url(), service.host_url());

  v1::StopResponse stopped;
  ASSERT_TRUE(calls_.Stop(service.job_id(), &stopped).ok());
  EXPECT_THAT(ManagedObjects(), IsEmpty());
}

}  // namespace
}  // namespace tao::integration::kubernetes
