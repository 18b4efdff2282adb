#include "tests/fakes/reference_backend_control.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::fakes {
namespace {

using ::testing::HasSubstr;

TEST(ControlTest, ScriptsApplyForTheirCountInOrder) {
  BackendState state;
  ASSERT_TRUE(
      ApplyControl(R"({"chat_status":500,"message":"boom","count":2})", &state)
          .ok());
  ASSERT_TRUE(ApplyControl(R"({"close_connection":true})", &state).ok());
  for (int i = 0; i < 2; ++i) {
    std::optional<ChatScript> script = state.NextScript();
    ASSERT_TRUE(script.has_value());
    EXPECT_EQ(script->status, 500);
    EXPECT_EQ(script->error_type, "internal_error");
    EXPECT_EQ(script->message, "boom");
  }
  std::optional<ChatScript> drop = state.NextScript();
  ASSERT_TRUE(drop.has_value());
  EXPECT_TRUE(drop->close_connection);
  EXPECT_FALSE(state.NextScript().has_value());
}

TEST(ControlTest, NegativeCountAppliesForever) {
  BackendState state;
  ASSERT_TRUE(ApplyControl(R"({"chat_delay_ms":5,"count":-1})", &state).ok());
  for (int i = 0; i < 5; ++i) {
    std::optional<ChatScript> script = state.NextScript();
    ASSERT_TRUE(script.has_value());
    EXPECT_EQ(script->delay_ms, 5);
  }
  ASSERT_TRUE(ApplyControl(R"({"reset":true})", &state).ok());
  EXPECT_FALSE(state.NextScript().has_value());
}

TEST(ControlTest, StateOverridesTheLifecycle) {
  BackendState state;
  ASSERT_TRUE(
      ApplyControl(R"({"state":"load_failed","message":"no GPU"})", &state)
          .ok());
  EXPECT_EQ(state.Current().phase, Phase::kLoadFailed);
  EXPECT_EQ(state.Current().message, "no GPU");
  EXPECT_FALSE(state.Advance(Phase::kReady, ""));
  EXPECT_EQ(state.Current().phase, Phase::kLoadFailed);
}

TEST(ControlTest, BadControlsAreRefused) {
  BackendState state;
  for (const char* body :
       {"[]", R"({"state":"sleeping"})", R"({"chat_status":"500"})",
        R"({"close_connection":1})", R"({"reset":"yes"})",
        R"({"chat_delay_ms":1,"count":"x"})"}) {
    absl::Status status = ApplyControl(body, &state);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << body;
  }
  EXPECT_FALSE(state.NextScript().has_value());
}

TEST(RequestLogTest, KeepsBodiesInOrderAndCutsLongStrings) {
  BackendState state;
  state.RecordRequest(R"({"max_tokens":5})");
  state.RecordRequest("not json");
  const std::string media =
      "data:image/png;base64," + std::string(kMaxLoggedStringChars + 10, 'A');
  state.RecordRequest(nlohmann::json{{"url", media}}.dump());
  nlohmann::json requests = state.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0]["max_tokens"], 5);
  EXPECT_EQ(requests[1], "not json");
  const std::string logged = requests[2]["url"].get<std::string>();
  EXPECT_LT(logged.size(), 1000u);
  EXPECT_THAT(logged, HasSubstr("data:image/png;base64,AAAA"));
  EXPECT_THAT(logged, HasSubstr("more characters"));
}

}  // namespace
}  // namespace tao::fakes
