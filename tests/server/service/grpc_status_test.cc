// ToGrpcStatus keeps code and message, and sends attached ErrorDetails in
// the binary details as a google.rpc.Status-shaped ErrorStatus.
#include "server/service/grpc_status.h"

#include <grpcpp/support/status.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "server/core/common/errors.h"
#include "tao/inference/v1/inference_service.pb.h"

namespace tao::service {
namespace {

namespace v1 = ::tao::inference::v1;

// Every canonical code but OK, with gRPC's name for it.
const std::vector<std::pair<absl::StatusCode, grpc::StatusCode>>& ErrorCodes() {
  static const auto* codes =
      new std::vector<std::pair<absl::StatusCode, grpc::StatusCode>>{
          {absl::StatusCode::kCancelled, grpc::StatusCode::CANCELLED},
          {absl::StatusCode::kUnknown, grpc::StatusCode::UNKNOWN},
          {absl::StatusCode::kInvalidArgument,
           grpc::StatusCode::INVALID_ARGUMENT},
          {absl::StatusCode::kDeadlineExceeded,
           grpc::StatusCode::DEADLINE_EXCEEDED},
          {absl::StatusCode::kNotFound, grpc::StatusCode::NOT_FOUND},
          {absl::StatusCode::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS},
          {absl::StatusCode::kPermissionDenied,
           grpc::StatusCode::PERMISSION_DENIED},
          {absl::StatusCode::kResourceExhausted,
           grpc::StatusCode::RESOURCE_EXHAUSTED},
          {absl::StatusCode::kFailedPrecondition,
           grpc::StatusCode::FAILED_PRECONDITION},
          {absl::StatusCode::kAborted, grpc::StatusCode::ABORTED},
          {absl::StatusCode::kOutOfRange, grpc::StatusCode::OUT_OF_RANGE},
          {absl::StatusCode::kUnimplemented, grpc::StatusCode::UNIMPLEMENTED},
          {absl::StatusCode::kInternal, grpc::StatusCode::INTERNAL},
          {absl::StatusCode::kUnavailable, grpc::StatusCode::UNAVAILABLE},
          {absl::StatusCode::kDataLoss, grpc::StatusCode::DATA_LOSS},
          {absl::StatusCode::kUnauthenticated,
           grpc::StatusCode::UNAUTHENTICATED},
      };
  return *codes;
}

v1::ErrorDetails SomeDetails() {
  v1::ErrorDetails details;
  details.set_reason_code(v1::ERROR_REASON_AMBIGUOUS_TARGET);
  details.add_candidates()->set_job_id("afacee21-2666-481d-b008-c83df2d6fd7f");
  details.add_candidates()->set_job_id("0b6f2f6e-0000-4000-8000-000000000001");
  details.set_backend_error_type("invalid_request_error");
  details.set_backend_http_status(400);
  return details;
}

TEST(ToGrpcStatusTest, OkIsOk) {
  grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OK);
  EXPECT_EQ(status.error_message(), "");
  EXPECT_EQ(status.error_details(), "");
}

TEST(ToGrpcStatusTest, EveryCodeAndMessageKeptWithoutDetails) {
  ASSERT_EQ(ErrorCodes().size(), 16u);
  for (const auto& [absl_code, grpc_code] : ErrorCodes()) {
    const std::string message = "platform \"slurm\" said: no\nsecond line é";
    grpc::Status status = ToGrpcStatus(absl::Status(absl_code, message));
    EXPECT_EQ(status.error_code(), grpc_code)
        << absl::StatusCodeToString(absl_code);
    EXPECT_EQ(status.error_message(), message);
    // Nothing attached, nothing sent.
    EXPECT_EQ(status.error_details(), "")
        << absl::StatusCodeToString(absl_code);
  }
}

TEST(ToGrpcStatusTest, DetailsTravelAsErrorStatusForEveryCode) {
  const v1::ErrorDetails details = SomeDetails();
  for (const auto& [absl_code, grpc_code] : ErrorCodes()) {
    SCOPED_TRACE(absl::StatusCodeToString(absl_code));
    grpc::Status status = ToGrpcStatus(core::WithDetails(
        absl::Status(absl_code, "two services match"), details));
    EXPECT_EQ(status.error_code(), grpc_code);
    EXPECT_EQ(status.error_message(), "two services match");

    v1::ErrorStatus rich;
    ASSERT_TRUE(rich.ParseFromString(status.error_details()));
    EXPECT_EQ(rich.code(), static_cast<int>(grpc_code));
    EXPECT_EQ(rich.message(), "two services match");
    ASSERT_EQ(rich.details_size(), 1);
    EXPECT_EQ(rich.details(0).type_url(),
              "type.googleapis.com/tao.inference.v1.ErrorDetails");
    ASSERT_TRUE(rich.details(0).Is<v1::ErrorDetails>());
    v1::ErrorDetails unpacked;
    ASSERT_TRUE(rich.details(0).UnpackTo(&unpacked));
    EXPECT_EQ(unpacked.SerializeAsString(), details.SerializeAsString());
  }
}

TEST(ToGrpcStatusTest, InvalidFieldViolationReachesTheClient) {
  grpc::Status status = ToGrpcStatus(
      core::InvalidField("sampling.temperature", "must be between 0 and 2"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "sampling.temperature: must be between 0 and 2");

  v1::ErrorStatus rich;
  ASSERT_TRUE(rich.ParseFromString(status.error_details()));
  ASSERT_EQ(rich.details_size(), 1);
  v1::ErrorDetails details;
  ASSERT_TRUE(rich.details(0).UnpackTo(&details));
  EXPECT_EQ(details.reason_code(), v1::ERROR_REASON_INVALID_FIELD);
  ASSERT_EQ(details.field_violations_size(), 1);
  EXPECT_EQ(details.field_violations(0).field(), "sampling.temperature");
  EXPECT_EQ(details.field_violations(0).description(),
            "must be between 0 and 2");
}

TEST(ToGrpcStatusTest, OtherPayloadsAreNotSent) {
  absl::Status status = absl::InternalError("x");
  status.SetPayload("type.googleapis.com/some.Other", absl::Cord("private"));
  EXPECT_EQ(ToGrpcStatus(status).error_details(), "");
}

TEST(ToGrpcStatusTest, EmptyMessageKept) {
  grpc::Status status = ToGrpcStatus(absl::UnavailableError(""));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "");
}

}  // namespace
}  // namespace tao::service
