// ToProto copies every registry field into the API's Service and derives
// `state` and `latest`; StateName/StateFromName are inverse for known states.
#include "server/core/common/service_convert.h"

#include <string>

#include "gtest/gtest.h"
#include "server/core/registry/registry.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;

constexpr char kJobId[] = "afacee21-2666-481d-b008-c83df2d6fd7f";

registry::ServiceEntry FullEntry() {
  registry::ServiceEntry e;
  e.job_id = kJobId;
  e.platform = "slurm";
  e.platform_job_id = "123456";
  e.network_arch = "cosmos-rl";
  e.host_url = "http://node7:8080";
  e.docker_url = "http://afacee21-2666-481d-b008-c83df2d6fd7f:8080";
  e.host_port = 8080;
  e.slurm_node = "node7";
  e.started_at = "2026-05-03T23:30:00.123456+00:00";
  e.image = "nvcr.io/nvidia/tao/cosmos-rl:1.0";
  e.model_path = "/models/cosmos";
  e.num_gpus = 2;
  e.instance_id = "brev-abc";
  e.namespace_ = "tao";
  e.request_id = "req-1";
  e.state = "READY";
  e.reason = "model loaded";
  e.platform_data = {{"pid", "42"}};
  e.extra["unknown_key"] = "kept";
  return e;
}

TEST(ToProtoTest, CopiesEveryField) {
  const registry::ServiceEntry e = FullEntry();
  v1::Service s = ToProto(e);

  EXPECT_EQ(s.job_id(), e.job_id);
  EXPECT_EQ(s.platform(), "slurm");
  EXPECT_EQ(s.platform_job_id(), "123456");
  EXPECT_EQ(s.network_arch(), "cosmos-rl");
  EXPECT_EQ(s.image(), "nvcr.io/nvidia/tao/cosmos-rl:1.0");
  EXPECT_EQ(s.host_url(), "http://node7:8080");
  EXPECT_EQ(s.docker_url(), e.docker_url);
  EXPECT_EQ(s.host_port(), 8080);
  EXPECT_EQ(s.slurm_node(), "node7");
  EXPECT_EQ(s.instance_id(), "brev-abc");
  EXPECT_EQ(s.namespace_(), "tao");
  EXPECT_EQ(s.started_at(), "2026-05-03T23:30:00.123456+00:00");
  EXPECT_EQ(s.state(), v1::SERVICE_STATE_READY);
  EXPECT_EQ(s.reason(), "model loaded");
  EXPECT_EQ(s.model_path(), "/models/cosmos");
  EXPECT_EQ(s.num_gpus(), 2);
  EXPECT_FALSE(s.latest());
}

TEST(ToProtoTest, EmptyEntryGivesDefaults) {
  v1::Service s = ToProto(registry::ServiceEntry());
  EXPECT_EQ(s.job_id(), "");
  EXPECT_EQ(s.host_port(), 0);
  EXPECT_EQ(s.num_gpus(), 0);
  // An entry written by the original tool has no state: not known.
  EXPECT_EQ(s.state(), v1::SERVICE_STATE_UNKNOWN);
  EXPECT_FALSE(s.latest());
}

TEST(ToProtoTest, UnsetHostPortIsZero) {
  registry::ServiceEntry e = FullEntry();
  e.host_port.reset();
  EXPECT_EQ(ToProto(e).host_port(), 0);
}

TEST(ToProtoTest, LatestOnlyWhenJobIdMatches) {
  struct Case {
    std::string entry_job_id;
    std::string latest_job_id;
    bool want;
  };
  const Case cases[] = {
      {kJobId, kJobId, true},
      {kJobId, "0b6f2f6e-0000-4000-8000-000000000001", false},
      {kJobId, "", false},
      // An entry without job_id is never `latest`, even with no latest.
      {"", "", false},
      {kJobId, "AFACEE21-2666-481D-B008-C83DF2D6FD7F", false},
  };
  for (const Case& c : cases) {
    registry::ServiceEntry e = FullEntry();
    e.job_id = c.entry_job_id;
    EXPECT_EQ(ToProto(e, c.latest_job_id).latest(), c.want)
        << "entry=" << c.entry_job_id << " latest=" << c.latest_job_id;
  }
}

TEST(ToProtoTest, StateFromEntryName) {
  struct Case {
    std::string name;
    v1::ServiceState want;
  };
  const Case cases[] = {
      {"PENDING", v1::SERVICE_STATE_PENDING},
      {"STARTING", v1::SERVICE_STATE_STARTING},
      {"LOADING", v1::SERVICE_STATE_LOADING},
      {"READY", v1::SERVICE_STATE_READY},
      {"FAILED", v1::SERVICE_STATE_FAILED},
      {"STOPPED", v1::SERVICE_STATE_STOPPED},
      {"UNKNOWN", v1::SERVICE_STATE_UNKNOWN},
      {"", v1::SERVICE_STATE_UNKNOWN},
      {"ready", v1::SERVICE_STATE_UNKNOWN},
      {"SERVICE_STATE_READY", v1::SERVICE_STATE_UNKNOWN},
      {"RUNNING", v1::SERVICE_STATE_UNKNOWN},
  };
  for (const Case& c : cases) {
    registry::ServiceEntry e = FullEntry();
    e.state = c.name;
    EXPECT_EQ(ToProto(e).state(), c.want) << c.name;
  }
}

TEST(StateNameTest, EveryEnumValueRoundTrips) {
  const google::protobuf::EnumDescriptor* descriptor =
      v1::ServiceState_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto state =
        static_cast<v1::ServiceState>(descriptor->value(i)->number());
    const std::string name(StateName(state));
    if (state == v1::SERVICE_STATE_UNSPECIFIED) {
      // Never stored: an unset state reads as not known.
      EXPECT_EQ(name, "UNKNOWN");
      continue;
    }
    // The stored name is the enum name without its prefix.
    EXPECT_EQ("SERVICE_STATE_" + name, descriptor->value(i)->name());
    EXPECT_EQ(StateFromName(name), state) << name;
  }
}

TEST(StateNameTest, OutOfRangeValueIsUnknown) {
  EXPECT_EQ(StateName(static_cast<v1::ServiceState>(99)), "UNKNOWN");
}

}  // namespace
}  // namespace tao::core
