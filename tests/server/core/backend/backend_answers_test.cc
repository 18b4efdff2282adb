#include "server/core/backend/backend_answers.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/common/errors.h"

namespace tao::backend {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Kind = Readiness::Kind;

struct ReadinessCase {
  std::string name;
  long http_status;
  std::string body;
  Kind kind;
  std::string type;
  std::string message;
};

void PrintTo(const ReadinessCase& c, std::ostream* os) { *os << c.name; }

class ReadinessAnswerTest : public ::testing::TestWithParam<ReadinessCase> {};

TEST_P(ReadinessAnswerTest, Classifies) {
  const ReadinessCase& c = GetParam();
  Readiness readiness = ReadinessFromAnswer(c.http_status, c.body, {});
  EXPECT_EQ(readiness.kind, c.kind);
  EXPECT_EQ(readiness.type, c.type);
  EXPECT_THAT(readiness.message, HasSubstr(c.message));
  EXPECT_EQ(readiness.http_status, c.http_status);
}

std::string ErrorBody(const std::string& type) {
  return R"({"error":{"type":")" + type + R"(","message":"m-)" + type +
         R"("}})";
}
std::string StatusBody(const std::string& reason) {
  return R"({"status":"not_ready","reason":")" + reason + R"(","message":"m-)" +
         reason + R"(","job_id":"j"})";
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReadinessAnswerTest,
    ::testing::Values(
        ReadinessCase{"Ready", 200,
                      R"({"status":"ready","message":"Server is ready"})",
                      Kind::kReady, "ready", "Server is ready"},
        ReadinessCase{"ReadyWithoutBody", 200, "", Kind::kReady, "ready", ""},
        ReadinessCase{"ErrorInitializing", 503,
                      ErrorBody("server_initializing"), Kind::kInitializing,
                      "server_initializing", "m-server_initializing"},
        ReadinessCase{"ErrorInitFailed", 503, ErrorBody("initialization_error"),
                      Kind::kFailed, "initialization_error",
                      "m-initialization_error"},
        ReadinessCase{"ErrorLoading", 202, ErrorBody("model_loading"),
                      Kind::kLoading, "model_loading", "m-model_loading"},
        ReadinessCase{"ErrorLoadFailed", 503, ErrorBody("model_load_error"),
                      Kind::kFailed, "model_load_error", "m-model_load_error"},
        ReadinessCase{"ErrorNotReady", 503, ErrorBody("model_not_ready"),
                      Kind::kLoading, "model_not_ready", "m-model_not_ready"},
        ReadinessCase{"StatusInitializing", 503,
                      StatusBody("server_initializing"), Kind::kInitializing,
                      "server_initializing", "m-server_initializing"},
        ReadinessCase{"StatusInitFailed", 503,
                      StatusBody("initialization_failed"), Kind::kFailed,
                      "initialization_failed", "m-initialization_failed"},
        ReadinessCase{"StatusLoading", 503, StatusBody("model_loading"),
                      Kind::kLoading, "model_loading", "m-model_loading"},
        ReadinessCase{"StatusLoadFailed", 503, StatusBody("model_load_failed"),
                      Kind::kFailed, "model_load_failed",
                      "m-model_load_failed"},
        ReadinessCase{"StatusNotLoaded", 503, StatusBody("model_not_loaded"),
                      Kind::kLoading, "model_not_loaded", "m-model_not_loaded"},
        ReadinessCase{"UnknownTypeKeepsWaiting", 503, ErrorBody("warming_up"),
                      Kind::kLoading, "warming_up", "m-warming_up"},
        ReadinessCase{"NotJsonKeepsWaiting", 404, "<html>nope</html>",
                      Kind::kLoading, "", "HTTP 404: <html>nope</html>"},
        // A proxy's answer for a service without a serving replica.
        ReadinessCase{"GatewayNotJsonIsNotAnswering", 503,
                      "no healthy upstream", Kind::kUnreachable, "gateway",
                      "proxy in front of the service answered HTTP 503: no "
                      "healthy upstream"},
        ReadinessCase{"BadGatewayEmptyIsNotAnswering", 502, "",
                      Kind::kUnreachable, "gateway", "HTTP 502"}),
    [](const auto& info) { return info.param.name; });

struct ChatErrorCase {
  std::string name;
  long http_status;
  std::string body;
  absl::StatusCode code;
  inference::v1::ErrorReason reason;
  std::string backend_type;
  std::string message;  // the status message starts with this
};

void PrintTo(const ChatErrorCase& c, std::ostream* os) { *os << c.name; }

class ChatErrorTest : public ::testing::TestWithParam<ChatErrorCase> {};

TEST_P(ChatErrorTest, MapsToCodeAndDetails) {
  const ChatErrorCase& c = GetParam();
  absl::Status status = ChatErrorFromAnswer(c.http_status, c.body, {});
  EXPECT_EQ(status.code(), c.code) << status;
  EXPECT_EQ(status.message().substr(0, c.message.size()), c.message) << status;
  std::optional<inference::v1::ErrorDetails> details = core::GetDetails(status);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), c.reason);
  EXPECT_EQ(details->backend_error_type(), c.backend_type);
  EXPECT_EQ(details->backend_http_status(), c.http_status);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ChatErrorTest,
    ::testing::Values(
        ChatErrorCase{"Initializing", 202, ErrorBody("server_initializing"),
                      absl::StatusCode::kUnavailable,
                      inference::v1::ERROR_REASON_NOT_READY,
                      "server_initializing",
                      "backend answered HTTP 202 server_initializing: "
                      "m-server_initializing"},
        ChatErrorCase{
            "Loading", 202, ErrorBody("model_loading"),
            absl::StatusCode::kUnavailable,
            inference::v1::ERROR_REASON_NOT_READY, "model_loading",
            "backend answered HTTP 202 model_loading: m-model_loading"},
        ChatErrorCase{"InitFailed", 503, ErrorBody("initialization_error"),
                      absl::StatusCode::kFailedPrecondition,
                      inference::v1::ERROR_REASON_MODEL_LOAD_FAILED,
                      "initialization_error",
                      "backend answered HTTP 503 initialization_error: "},
        ChatErrorCase{"LoadFailed", 503, ErrorBody("model_load_error"),
                      absl::StatusCode::kFailedPrecondition,
                      inference::v1::ERROR_REASON_MODEL_LOAD_FAILED,
                      "model_load_error",
                      "backend answered HTTP 503 model_load_error: "},
        ChatErrorCase{"NotReady", 503, ErrorBody("model_not_ready"),
                      absl::StatusCode::kUnavailable,
                      inference::v1::ERROR_REASON_NOT_READY, "model_not_ready",
                      "backend answered HTTP 503 model_not_ready: "},
        ChatErrorCase{"OtherUnavailable", 503, "Service Unavailable",
                      absl::StatusCode::kUnavailable,
                      inference::v1::ERROR_REASON_NOT_READY, "",
                      "backend answered HTTP 503: Service Unavailable"},
        ChatErrorCase{
            "InvalidRequest", 400,
            R"({"error":{"message":"Cosmos requires 'media' parameter","type":"invalid_request"}})",
            absl::StatusCode::kInvalidArgument,
            inference::v1::ERROR_REASON_BACKEND_ERROR, "invalid_request",
            "backend answered HTTP 400 invalid_request: Cosmos "
            "requires 'media' parameter"},
        ChatErrorCase{"Internal", 500, ErrorBody("internal_error"),
                      absl::StatusCode::kInternal,
                      inference::v1::ERROR_REASON_BACKEND_ERROR,
                      "internal_error",
                      "backend answered HTTP 500 internal_error: "
                      "m-internal_error"},
        ChatErrorCase{"NotFound", 404, "", absl::StatusCode::kInternal,
                      inference::v1::ERROR_REASON_BACKEND_ERROR, "",
                      "backend answered HTTP 404"}),
    [](const auto& info) { return info.param.name; });

TEST(CleanMessageTest, RedactsBeforeCutting) {
  const std::string secret = "hf_abcdefghijklmnop";
  platforms::Redactor redactor({secret});
  // The secret straddles the cut: it must not leave a prefix behind.
  std::string text(kMaxBackendMessageChars - 5, 'x');
  text += secret;
  std::string clean = CleanMessage(text, redactor);
  EXPECT_THAT(clean, Not(HasSubstr("hf_ab")));
  EXPECT_LE(clean.size(), kMaxBackendMessageChars + 3);

  absl::Status status = ChatErrorFromAnswer(
      500,
      R"({"error":{"type":"internal_error","message":"token )" + secret +
          R"( refused"}})",
      redactor);
  EXPECT_THAT(status.message(), Not(HasSubstr(secret)));
  EXPECT_THAT(status.message(), HasSubstr("token [REDACTED] refused"));
  Readiness readiness = ReadinessFromAnswer(
      503,
      R"({"error":{"type":"model_load_error","message":")" + secret + "\"}}",
      redactor);
  EXPECT_EQ(readiness.message, "[REDACTED]");
}

}  // namespace
}  // namespace tao::backend
