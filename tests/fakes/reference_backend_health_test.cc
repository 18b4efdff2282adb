#include "tests/fakes/reference_backend_health.h"

#include <string>

#include "gtest/gtest.h"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;

struct HealthCase {
  Phase phase;
  std::string error_type;  // skill shape, readiness and chat
  std::string reason;      // real server's readiness shape
  int chat_status;         // 0: no not-ready answer
  std::string stage;
};

void PrintTo(const HealthCase& c, std::ostream* os) {
  *os << c.stage << "/" << c.reason;
}

class HealthTest : public ::testing::TestWithParam<HealthCase> {};

LaunchConfig Config(bool status_shape) {
  LaunchConfig config;
  config.job_id = "j-1";
  config.knobs.status_shape = status_shape;
  return config;
}

TEST_P(HealthTest, ReadinessInTheSkillShape) {
  const HealthCase& c = GetParam();
  HttpAnswer answer =
      ReadinessAnswer({c.phase, "because"}, Config(false), absl::Now());
  if (c.phase == Phase::kReady) {
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body["status"], "ready");
    EXPECT_EQ(answer.body["message"],
              "Server is ready to accept inference requests");
    EXPECT_EQ(answer.body["job_id"], "j-1");
    return;
  }
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(
      answer.body,
      (Json{{"error", {{"message", "because"}, {"type", c.error_type}}}}));
}

TEST_P(HealthTest, ReadinessInTheRealServerShape) {
  const HealthCase& c = GetParam();
  HttpAnswer answer =
      ReadinessAnswer({c.phase, "because"}, Config(true), absl::Now());
  if (c.phase == Phase::kReady) {
    EXPECT_EQ(answer.status, 200);
    return;
  }
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.body["status"], "not_ready");
  EXPECT_EQ(answer.body["reason"], c.reason);
  EXPECT_EQ(answer.body["message"], "because");
  EXPECT_TRUE(answer.body.contains("timestamp"));
}

TEST_P(HealthTest, ChatNotReadyAnswer) {
  const HealthCase& c = GetParam();
  std::optional<HttpAnswer> answer = ChatNotReadyAnswer({c.phase, "because"});
  if (c.chat_status == 0) {
    EXPECT_FALSE(answer.has_value());
    return;
  }
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, c.chat_status);
  EXPECT_EQ(answer->body["error"]["type"], c.error_type);
}

TEST_P(HealthTest, LivenessIsAlways200) {
  const HealthCase& c = GetParam();
  HttpAnswer answer =
      LivenessAnswer({c.phase, "because"}, Config(false), absl::Now());
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body["status"], "healthy");
  EXPECT_EQ(answer.body["progress"]["stage"], c.stage);
  EXPECT_EQ(answer.body["model_loaded"], c.phase == Phase::kReady);
}

INSTANTIATE_TEST_SUITE_P(
    Table, HealthTest,
    ::testing::Values(HealthCase{Phase::kInitializing, "server_initializing",
                                 "server_initializing", 202, "initializing"},
                      HealthCase{Phase::kInitFailed, "initialization_error",
                                 "initialization_failed", 503, "error"},
                      HealthCase{Phase::kLoading, "model_loading",
                                 "model_loading", 202, "loading_model"},
                      HealthCase{Phase::kLoadFailed, "model_load_error",
                                 "model_load_failed", 503, "error"},
                      HealthCase{Phase::kNotLoaded, "model_not_ready",
                                 "model_not_loaded", 503, "loading_model"},
                      HealthCase{Phase::kReady, "", "", 0, "ready"}));

}  // namespace
}  // namespace tao::fakes
