// ErrorDetails travel as an absl::Status payload; InvalidField builds the
// INVALID_ARGUMENT every request check returns.
#include "server/core/common/errors.h"

#include <optional>
#include <string>

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
  details.set_reason(std::string(kReasonAmbiguousTarget));
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
  EXPECT_EQ(got->reason(), "");
}

TEST(WithDetailsTest, LaterDetailsReplaceEarlierOnes) {
  v1::ErrorDetails first;
  first.set_reason(std::string(kReasonNoService));
  v1::ErrorDetails second;
  second.set_reason(std::string(kReasonNotReady));

  absl::Status status =
      WithDetails(WithDetails(absl::UnavailableError("x"), first), second);
  std::optional<v1::ErrorDetails> got = GetDetails(status);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->reason(), kReasonNotReady);
}

TEST(WithDetailsTest, DetailsSurviveCopies) {
  v1::ErrorDetails details;
  details.set_reason(std::string(kReasonBackendError));
  absl::Status original = WithDetails(absl::AbortedError("x"), details);
  absl::Status copy = original;
  ASSERT_TRUE(GetDetails(copy).has_value());
  EXPECT_EQ(GetDetails(copy)->reason(), kReasonBackendError);
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
  EXPECT_EQ(details->reason(), kReasonInvalidField);
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

TEST(ReasonsTest, StableValues) {
  // Clients match on these strings: they must never change.
  EXPECT_EQ(kReasonAmbiguousTarget, "AMBIGUOUS_TARGET");
  EXPECT_EQ(kReasonNoService, "NO_SERVICE");
  EXPECT_EQ(kReasonInvalidField, "INVALID_FIELD");
  EXPECT_EQ(kReasonBackendError, "BACKEND_ERROR");
  EXPECT_EQ(kReasonModelLoadFailed, "MODEL_LOAD_FAILED");
  EXPECT_EQ(kReasonNotReady, "NOT_READY");
}

}  // namespace
}  // namespace tao::core
