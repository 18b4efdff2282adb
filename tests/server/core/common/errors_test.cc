// ErrorDetails travel as an absl::Status payload; InvalidField builds the
// INVALID_ARGUMENT every request check returns.
#include "server/core/common/errors.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "gtest/gtest.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::core {
namespace {

namespace v1 = ::tao::inference::v1;

constexpr char kDetailsTypeUrl[] =
    "type.googleapis.com/tao.inference.v1.ErrorDetails";

v1::ErrorDetails FullDetails() {
  v1::ErrorDetails details;
  details.set_reason_code(v1::ERROR_REASON_AMBIGUOUS_TARGET);
  v1::Service* candidate = details.add_candidates();
  candidate->set_job_id("afacee21-2666-481d-b008-c83df2d6fd7f");
  candidate->set_network_arch("cosmos-rl");
  candidate->set_latest(true);
  details.add_candidates()->set_job_id("0b6f2f6e-0000-4000-8000-000000000001");
  v1::FieldViolation* violation = details.add_field_violations();
  violation->set_field("sampling.temperature");
  violation->set_description("must be between 0 and 2");
  details.set_backend_error_type("invalid_request_error");
  details.set_backend_http_status(422);
  return details;
}

TEST(WithDetailsTest, DetailsRoundTripUnchanged) {
  const v1::ErrorDetails details = FullDetails();
  absl::Status status =
      WithDetails(absl::FailedPreconditionError("two services match"), details);

  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "two services match");
  std::optional<v1::ErrorDetails> got = GetDetails(status);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->SerializeAsString(), details.SerializeAsString());
  EXPECT_EQ(got->candidates_size(), 2);
  EXPECT_EQ(got->backend_http_status(), 422);
}

TEST(WithDetailsTest, EmptyDetailsStillRoundTrip) {
  absl::Status status =
      WithDetails(absl::InternalError("x"), v1::ErrorDetails());
  std::optional<v1::ErrorDetails> got = GetDetails(status);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->reason_code(), v1::ERROR_REASON_UNSPECIFIED);
}

TEST(WithDetailsTest, LaterDetailsReplaceEarlierOnes) {
  v1::ErrorDetails first;
  first.set_reason_code(v1::ERROR_REASON_NO_SERVICE);
  v1::ErrorDetails second;
  second.set_reason_code(v1::ERROR_REASON_NOT_READY);

  absl::Status status =
      WithDetails(WithDetails(absl::UnavailableError("x"), first), second);
  std::optional<v1::ErrorDetails> got = GetDetails(status);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->reason_code(), v1::ERROR_REASON_NOT_READY);
}

TEST(WithDetailsTest, DetailsSurviveCopies) {
  v1::ErrorDetails details;
  details.set_reason_code(v1::ERROR_REASON_BACKEND_ERROR);
  absl::Status original = WithDetails(absl::AbortedError("x"), details);
  absl::Status copy = original;
  ASSERT_TRUE(GetDetails(copy).has_value());
  EXPECT_EQ(GetDetails(copy)->reason_code(), v1::ERROR_REASON_BACKEND_ERROR);
}

TEST(GetDetailsTest, NoneWithoutPayload) {
  EXPECT_FALSE(GetDetails(absl::NotFoundError("gone")).has_value());
  EXPECT_FALSE(GetDetails(absl::OkStatus()).has_value());
}

TEST(GetDetailsTest, NoneForUnparsablePayload) {
  absl::Status status = absl::InternalError("x");
  // A truncated length-delimited field: not a valid ErrorDetails.
  status.SetPayload(kDetailsTypeUrl, absl::Cord("\x0a\x05"
                                                "ab"));
  EXPECT_FALSE(GetDetails(status).has_value());
}

TEST(GetDetailsTest, IgnoresOtherPayloads) {
  absl::Status status = absl::InternalError("x");
  status.SetPayload("type.googleapis.com/some.Other", absl::Cord("data"));
  EXPECT_FALSE(GetDetails(status).has_value());
}

TEST(WithDetailsTest, OkStatusStaysOk) {
  // absl drops payloads on OK statuses; WithDetails must not make it an error.
  absl::Status status = WithDetails(absl::OkStatus(), FullDetails());
  EXPECT_TRUE(status.ok());
}

TEST(InvalidFieldTest, MessageCodeAndViolation) {
  absl::Status status =
      InvalidField("sampling.temperature", "must be between 0 and 2");

  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "sampling.temperature: must be between 0 and 2");
  std::optional<v1::ErrorDetails> details = GetDetails(status);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), v1::ERROR_REASON_INVALID_FIELD);
  ASSERT_EQ(details->field_violations_size(), 1);
  EXPECT_EQ(details->field_violations(0).field(), "sampling.temperature");
  EXPECT_EQ(details->field_violations(0).description(),
            "must be between 0 and 2");
  EXPECT_EQ(details->candidates_size(), 0);
}

TEST(InvalidFieldTest, IndexedFieldPathKeptVerbatim) {
  absl::Status status = InvalidField("messages[0].parts[1]", "empty text");
  EXPECT_EQ(status.message(), "messages[0].parts[1]: empty text");
  ASSERT_TRUE(GetDetails(status).has_value());
  EXPECT_EQ(GetDetails(status)->field_violations(0).field(),
            "messages[0].parts[1]");
}

TEST(ReasonsTest, StableOnTheWire) {
  // Clients compare the numbers (and JSON the names): they must never change.
  const std::vector<std::pair<v1::ErrorReason, std::string>> reasons = {
      {v1::ERROR_REASON_AMBIGUOUS_TARGET, "ERROR_REASON_AMBIGUOUS_TARGET"},
      {v1::ERROR_REASON_NO_SERVICE, "ERROR_REASON_NO_SERVICE"},
      {v1::ERROR_REASON_INVALID_FIELD, "ERROR_REASON_INVALID_FIELD"},
      {v1::ERROR_REASON_BACKEND_ERROR, "ERROR_REASON_BACKEND_ERROR"},
      {v1::ERROR_REASON_MODEL_LOAD_FAILED, "ERROR_REASON_MODEL_LOAD_FAILED"},
      {v1::ERROR_REASON_NOT_READY, "ERROR_REASON_NOT_READY"},
  };
  for (size_t i = 0; i < reasons.size(); ++i) {
    EXPECT_EQ(static_cast<int>(reasons[i].first), static_cast<int>(i) + 1);
    EXPECT_EQ(v1::ErrorReason_Name(reasons[i].first), reasons[i].second);
  }
  // The retired string field's number is never reused.
  const auto* descriptor = v1::ErrorDetails::descriptor();
  EXPECT_EQ(descriptor->FindFieldByNumber(1), nullptr);
  ASSERT_NE(descriptor->FindFieldByName("reason_code"), nullptr);
  EXPECT_EQ(descriptor->FindFieldByName("reason_code")->number(), 6);
}

}  // namespace
}  // namespace tao::core
