// ServiceEntry <-> JSON (spec §2): key order, omitted fields, unknown keys
// and type errors.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/registry/registry.h"

namespace tao::registry {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using OrderedJson = nlohmann::ordered_json;

ServiceEntry FullEntry() {
  ServiceEntry e;
  e.job_id = "job-1";
  e.platform = "slurm";
  e.platform_job_id = "4242";
  e.network_arch = "cosmos-rl";
  e.host_url = "http://localhost:8081";
  e.docker_url = "http://job-1:8080";
  e.host_port = 8081;
  e.slurm_node = "node-7";
  e.started_at = "2026-05-03T23:30:00+00:00";
  e.image = "nvcr.io/nvidia/tao/tao-toolkit:6.0";
  e.model_path = "hf_model://nvidia/Cosmos-Reason1-7B";
  e.num_gpus = 2;
  e.instance_id = "brev-abc";
  e.namespace_ = "ml";
  e.request_id = "req-9";
  e.state = "LOADING";
  e.reason = "downloading weights";
  e.platform_data = {{"tunnel_pid", "123"}, {"partition", "gpu"}};
  e.extra = OrderedJson::parse(R"({"zeta": 1, "alpha": {"b": [1, 2]}})");
  return e;
}

TEST(ServiceEntryJsonTest, WritesSpecKeysFirstThenOursThenUnknownInOrder) {
  EXPECT_EQ(
      EntryToJson(FullEntry()).dump(),
      R"({"job_id":"job-1","platform":"slurm","platform_job_id":"4242",)"
      R"("network_arch":"cosmos-rl","host_url":"http://localhost:8081",)"
      R"("docker_url":"http://job-1:8080","host_port":8081,)"
      R"("slurm_node":"node-7","started_at":"2026-05-03T23:30:00+00:00",)"
      R"("image":"nvcr.io/nvidia/tao/tao-toolkit:6.0",)"
      R"("model_path":"hf_model://nvidia/Cosmos-Reason1-7B","num_gpus":2,)"
      R"("instance_id":"brev-abc","namespace":"ml","request_id":"req-9",)"
      R"("state":"LOADING","reason":"downloading weights",)"
      R"("platform_data":{"partition":"gpu","tunnel_pid":"123"},)"
      R"("zeta":1,"alpha":{"b":[1,2]}})");
}

TEST(ServiceEntryJsonTest, OmitsOptionalFieldsWhenEmpty) {
  ServiceEntry e;
  e.job_id = "job-2";
  e.platform = "local-docker";
  e.network_arch = "cosmos-rl";
  e.host_url = "http://localhost:8080";
  e.started_at = "2026-05-03T23:30:00Z";
  EXPECT_EQ(EntryToJson(e).dump(),
            R"({"job_id":"job-2","platform":"local-docker",)"
            R"("network_arch":"cosmos-rl","host_url":"http://localhost:8080",)"
            R"("started_at":"2026-05-03T23:30:00Z"})");
}

TEST(ServiceEntryJsonTest, PortZeroIsWrittenBecauseItIsSet) {
  ServiceEntry e;
  e.job_id = "j";
  e.host_port = 0;
  EXPECT_EQ(EntryToJson(e).at("host_port"), 0);
}

TEST(ServiceEntryJsonTest, FullEntryRoundTrips) {
  ServiceEntry original = FullEntry();
  auto parsed = EntryFromJson(EntryToJson(original));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, original);
  // The unknown keys keep their original order when written again.
  EXPECT_EQ(EntryToJson(*parsed).dump(), EntryToJson(original).dump());
}

TEST(ServiceEntryJsonTest, ParsesFromAPlainJsonValue) {
  nlohmann::json plain = {{"job_id", "j"}, {"host_port", 8080}, {"x", true}};
  auto parsed = EntryFromJson(plain);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->host_port, 8080);
  EXPECT_EQ(parsed->extra, OrderedJson({{"x", true}}));
}

TEST(ServiceEntryJsonTest, MissingAndNullKeysStayEmpty) {
  auto parsed = EntryFromJson(OrderedJson::parse(
      R"({"job_id":"j","platform_job_id":null,"host_port":null,)"
      R"("num_gpus":null,"platform_data":null})"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->job_id, "j");
  EXPECT_EQ(parsed->platform_job_id, "");
  EXPECT_FALSE(parsed->host_port.has_value());
  EXPECT_EQ(parsed->num_gpus, 0);
  EXPECT_TRUE(parsed->platform_data.empty());
  EXPECT_TRUE(parsed->extra.empty());
}

TEST(ServiceEntryJsonTest, NamedKeyStrayInExtraIsNotWritten) {
  ServiceEntry e;
  e.job_id = "real";
  e.extra = {{"job_id", "stray"}, {"kept", 1}};
  OrderedJson out = EntryToJson(e);
  EXPECT_EQ(out.at("job_id"), "real");
  EXPECT_EQ(out.at("kept"), 1);
}

TEST(ServiceEntryJsonTest, EqualityIgnoresOrderOfUnknownKeys) {
  ServiceEntry a = FullEntry();
  ServiceEntry b = FullEntry();
  b.extra = OrderedJson::parse(R"({"alpha": {"b": [1, 2]}, "zeta": 1})");
  EXPECT_EQ(a, b);
  b.extra["zeta"] = 2;
  EXPECT_FALSE(a == b);
}

struct TypeErrorCase {
  std::string json;
  std::string key;  // must be named in the message
};

class ServiceEntryTypeErrorTest
    : public ::testing::TestWithParam<TypeErrorCase> {};

TEST_P(ServiceEntryTypeErrorTest, NamesTheKeyAndTheJob) {
  auto parsed = EntryFromJson(OrderedJson::parse(GetParam().json));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      parsed.status().message(),
      AllOf(HasSubstr("\"" + GetParam().key + "\""), HasSubstr("\"job-7\"")));
}

INSTANTIATE_TEST_SUITE_P(
    AllTypedKeys, ServiceEntryTypeErrorTest,
    ::testing::Values(
        TypeErrorCase{R"({"job_id":"job-7","platform":5})", "platform"},
        TypeErrorCase{R"({"job_id":"job-7","platform_job_id":42})",
                      "platform_job_id"},
        TypeErrorCase{R"({"job_id":"job-7","network_arch":[]})",
                      "network_arch"},
        TypeErrorCase{R"({"job_id":"job-7","host_url":{}})", "host_url"},
        TypeErrorCase{R"({"job_id":"job-7","docker_url":true})", "docker_url"},
        TypeErrorCase{R"({"job_id":"job-7","host_port":"8080"})", "host_port"},
        TypeErrorCase{R"({"job_id":"job-7","host_port":8080.0})", "host_port"},
        TypeErrorCase{R"({"job_id":"job-7","host_port":70000})", "host_port"},
        TypeErrorCase{R"({"job_id":"job-7","host_port":-1})", "host_port"},
        TypeErrorCase{R"({"job_id":"job-7","slurm_node":1})", "slurm_node"},
        TypeErrorCase{R"({"job_id":"job-7","started_at":1714771800})",
                      "started_at"},
        TypeErrorCase{R"({"job_id":"job-7","image":false})", "image"},
        TypeErrorCase{R"({"job_id":"job-7","model_path":1})", "model_path"},
        TypeErrorCase{R"({"job_id":"job-7","num_gpus":"2"})", "num_gpus"},
        TypeErrorCase{R"({"job_id":"job-7","num_gpus":-2})", "num_gpus"},
        TypeErrorCase{R"({"job_id":"job-7","num_gpus":18446744073709551615})",
                      "num_gpus"},
        TypeErrorCase{R"({"job_id":"job-7","instance_id":[1]})", "instance_id"},
        TypeErrorCase{R"({"job_id":"job-7","namespace":1})", "namespace"},
        TypeErrorCase{R"({"job_id":"job-7","request_id":1})", "request_id"},
        TypeErrorCase{R"({"job_id":"job-7","state":1})", "state"},
        TypeErrorCase{R"({"job_id":"job-7","reason":1})", "reason"},
        TypeErrorCase{R"({"job_id":"job-7","platform_data":"x"})",
                      "platform_data"},
        TypeErrorCase{R"({"job_id":"job-7","platform_data":{"pid":7}})",
                      "platform_data.pid"}));

TEST(ServiceEntryJsonTest, WrongJobIdTypeIsNamed) {
  auto parsed = EntryFromJson(OrderedJson::parse(R"({"job_id":7})"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("\"job_id\""));
}

TEST(ServiceEntryJsonTest, NonObjectIsRejected) {
  auto parsed = EntryFromJson(OrderedJson::parse(R"(["job_id"])"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("must be an object"));
}

}  // namespace
}  // namespace tao::registry
