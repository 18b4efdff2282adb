// Exit codes, reading ErrorDetails out of a grpc::Status, and how errors
// are shown (human and JSON).
#include "client/cli/cli_error.h"
#include "client/cli/exit_codes.h"
#include "client/cli/human_output.h"
#include "client/cli/json_output.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::cli {
namespace {

namespace v1 = ::tao::inference::v1;
using tao::inference::v1::ErrorDetails;
using tao::inference::v1::ErrorStatus;
using ::testing::HasSubstr;

struct ExitCase {
  grpc::StatusCode code;
  v1::ErrorReason reason;
  bool server_reached;
  int exit_code;
};

void PrintTo(const ExitCase& c, std::ostream* os) {
  *os << static_cast<int>(c.code) << "_" << ReasonName(c.reason)
      << (c.server_reached ? "_reached" : "_unreached");
}

class ExitCodeTableTest : public ::testing::TestWithParam<ExitCase> {};

TEST_P(ExitCodeTableTest, MapsAsDocumented) {
  const ExitCase& c = GetParam();
  EXPECT_EQ(ExitCodeFor(c.code, c.reason, c.server_reached), c.exit_code);
}

INSTANTIATE_TEST_SUITE_P(
    Documented, ExitCodeTableTest,
    ::testing::Values(ExitCase{grpc::StatusCode::OK,
                               v1::ERROR_REASON_UNSPECIFIED, true, 0},
                      ExitCase{grpc::StatusCode::INTERNAL,
                               v1::ERROR_REASON_BACKEND_ERROR, true, 1},
                      ExitCase{grpc::StatusCode::UNKNOWN,
                               v1::ERROR_REASON_UNSPECIFIED, true, 1},
                      ExitCase{grpc::StatusCode::RESOURCE_EXHAUSTED,
                               v1::ERROR_REASON_UNSPECIFIED, true, 1},
                      ExitCase{grpc::StatusCode::PERMISSION_DENIED,
                               v1::ERROR_REASON_UNSPECIFIED, true, 1},
                      ExitCase{grpc::StatusCode::FAILED_PRECONDITION,
                               v1::ERROR_REASON_UNSPECIFIED, true, 1},
                      ExitCase{grpc::StatusCode::INVALID_ARGUMENT,
                               v1::ERROR_REASON_INVALID_FIELD, true, 2},
                      ExitCase{grpc::StatusCode::INVALID_ARGUMENT,
                               v1::ERROR_REASON_UNSPECIFIED, false, 2},
                      ExitCase{grpc::StatusCode::NOT_FOUND,
                               v1::ERROR_REASON_UNSPECIFIED, true, 3},
                      ExitCase{grpc::StatusCode::NOT_FOUND,
                               v1::ERROR_REASON_NO_SERVICE, true, 3},
                      ExitCase{grpc::StatusCode::FAILED_PRECONDITION,
                               v1::ERROR_REASON_AMBIGUOUS_TARGET, true, 3},
                      ExitCase{grpc::StatusCode::FAILED_PRECONDITION,
                               v1::ERROR_REASON_NO_SERVICE, true, 3},
                      ExitCase{grpc::StatusCode::FAILED_PRECONDITION,
                               v1::ERROR_REASON_MODEL_LOAD_FAILED, true, 4},
                      ExitCase{grpc::StatusCode::DEADLINE_EXCEEDED,
                               v1::ERROR_REASON_UNSPECIFIED, true, 5},
                      ExitCase{grpc::StatusCode::DEADLINE_EXCEEDED,
                               v1::ERROR_REASON_UNSPECIFIED, false, 5},
                      ExitCase{grpc::StatusCode::UNAVAILABLE,
                               v1::ERROR_REASON_UNSPECIFIED, false, 6},
                      ExitCase{grpc::StatusCode::UNAVAILABLE,
                               v1::ERROR_REASON_NOT_READY, true, 1}));

TEST(ExitCodeTest, AFailedServiceExitsFourWhateverTheCode) {
  CliError error;
  error.code = grpc::StatusCode::FAILED_PRECONDITION;
  EXPECT_EQ(error.exit_code(), kExitServerError);
  error.service_failed = true;
  EXPECT_EQ(error.exit_code(), kExitServiceFailed);
}

TEST(ExitCodeHelpTest, ListsEveryCode) {
  for (const char* code : {"0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 "}) {
    EXPECT_THAT(ExitCodeHelp(), HasSubstr(code));
  }
}

ErrorDetails Ambiguous() {
  ErrorDetails details;
  details.set_reason_code(v1::ERROR_REASON_AMBIGUOUS_TARGET);
  details.add_candidates()->set_job_id("job-a");
  details.add_candidates()->set_job_id("job-b");
  return details;
}

grpc::Status RichStatus(grpc::StatusCode code, const std::string& message,
                        const google::protobuf::Message& packed) {
  ErrorStatus rich;
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  rich.add_details()->PackFrom(packed);
  return grpc::Status(code, message, rich.SerializeAsString());
}

TEST(ReadErrorDetailsTest, UnpacksErrorDetailsFromTheBinaryDetails) {
  grpc::Status status = RichStatus(grpc::StatusCode::FAILED_PRECONDITION,
                                   "2 services match", Ambiguous());
  std::optional<ErrorDetails> details = ReadErrorDetails(status);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), v1::ERROR_REASON_AMBIGUOUS_TARGET);
  ASSERT_EQ(details->candidates_size(), 2);
  EXPECT_EQ(details->candidates(1).job_id(), "job-b");
}

TEST(ReadErrorDetailsTest, SkipsOtherAnyTypesAndFindsOurs) {
  ErrorStatus rich;
  rich.add_details()->PackFrom(tao::inference::v1::Service());
  rich.add_details()->PackFrom(Ambiguous());
  grpc::Status status(grpc::StatusCode::FAILED_PRECONDITION, "m",
                      rich.SerializeAsString());
  ASSERT_TRUE(ReadErrorDetails(status).has_value());
  EXPECT_EQ(ReadErrorDetails(status)->reason_code(),
            v1::ERROR_REASON_AMBIGUOUS_TARGET);
}

TEST(ReadErrorDetailsTest, NothingWhenAbsentOrUnreadable) {
  EXPECT_FALSE(ReadErrorDetails(grpc::Status(grpc::StatusCode::INTERNAL, "x"))
                   .has_value());
  EXPECT_FALSE(ReadErrorDetails(grpc::Status(grpc::StatusCode::INTERNAL, "x",
                                             "\xff\xff\xff not a proto"))
                   .has_value());
  // A status whose Any holds something else.
  EXPECT_FALSE(ReadErrorDetails(RichStatus(grpc::StatusCode::INTERNAL, "x",
                                           tao::inference::v1::Service()))
                   .has_value());
}

TEST(FromGrpcStatusTest, ReasonDecidesTheExitCode) {
  CliError error = FromGrpcStatus(
      RichStatus(grpc::StatusCode::FAILED_PRECONDITION, "2 match", Ambiguous()),
      /*channel_connected=*/true);
  EXPECT_EQ(error.code, grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(error.message, "2 match");
  EXPECT_EQ(error.reason(), v1::ERROR_REASON_AMBIGUOUS_TARGET);
  EXPECT_EQ(error.exit_code(), kExitNotFound);
}

TEST(FromGrpcStatusTest, UnavailableWithoutConnectionIsUnreachable) {
  grpc::Status status(grpc::StatusCode::UNAVAILABLE, "connect failed");
  EXPECT_EQ(FromGrpcStatus(status, false).exit_code(), kExitUnreachable);
  EXPECT_EQ(FromGrpcStatus(status, true).exit_code(), kExitServerError);
  // Details can only have come from the server.
  ErrorDetails not_ready;
  not_ready.set_reason_code(v1::ERROR_REASON_NOT_READY);
  EXPECT_EQ(FromGrpcStatus(
                RichStatus(grpc::StatusCode::UNAVAILABLE, "loading", not_ready),
                false)
                .exit_code(),
            kExitServerError);
}

TEST(ErrorOutputTest, JsonCarriesCodeMessageAndDetails) {
  CliError error = FromGrpcStatus(
      RichStatus(grpc::StatusCode::FAILED_PRECONDITION, "2 match", Ambiguous()),
      true);
  error.extra = {{"hint", "use --job-id"}};
  nlohmann::json json =
      nlohmann::json::parse(ErrorToJson(error).dump());  // round trip
  EXPECT_EQ(json["error"]["code"], "FAILED_PRECONDITION");
  EXPECT_EQ(json["error"]["grpc_code"], 9);
  EXPECT_EQ(json["error"]["exit_code"], 3);
  EXPECT_EQ(json["error"]["message"], "2 match");
  EXPECT_EQ(json["error"]["details"]["reason_code"],
            "ERROR_REASON_AMBIGUOUS_TARGET");
  EXPECT_EQ(json["error"]["details"]["candidates"][0]["job_id"], "job-a");
  EXPECT_EQ(json["error"]["details"]["hint"], "use --job-id");
}

TEST(ErrorOutputTest, HumanTextShowsWhatTheDetailsSay) {
  ErrorDetails details;
  details.set_reason_code(v1::ERROR_REASON_INVALID_FIELD);
  auto* violation = details.add_field_violations();
  violation->set_field("sampling.temperature");
  violation->set_description("must be in [0, 2]");
  details.set_backend_error_type("invalid_request");
  details.set_backend_http_status(400);
  CliError error = FromGrpcStatus(
      RichStatus(grpc::StatusCode::INVALID_ARGUMENT, "bad request", details),
      true);
  const std::string text = FormatError(error);
  EXPECT_THAT(text, HasSubstr("tao-infer: error: bad request"));
  EXPECT_THAT(text, HasSubstr("reason: INVALID_FIELD"));
  EXPECT_THAT(text, HasSubstr("sampling.temperature: must be in [0, 2]"));
  EXPECT_THAT(text, HasSubstr("invalid_request (HTTP 400)"));

  const std::string candidates = FormatError(FromGrpcStatus(
      RichStatus(grpc::StatusCode::FAILED_PRECONDITION, "m", Ambiguous()),
      true));
  EXPECT_THAT(candidates, HasSubstr("1.  job-a"));
  EXPECT_THAT(candidates, HasSubstr("2.  job-b"));
}

TEST(ErrorOutputTest, CodeNamesAreTheCanonicalOnes) {
  // The JSON "code" scripts match on, for every gRPC code.
  const std::vector<std::string> names = {"OK",
                                          "CANCELLED",
                                          "UNKNOWN",
                                          "INVALID_ARGUMENT",
                                          "DEADLINE_EXCEEDED",
                                          "NOT_FOUND",
                                          "ALREADY_EXISTS",
                                          "PERMISSION_DENIED",
                                          "RESOURCE_EXHAUSTED",
                                          "FAILED_PRECONDITION",
                                          "ABORTED",
                                          "OUT_OF_RANGE",
                                          "UNIMPLEMENTED",
                                          "INTERNAL",
                                          "UNAVAILABLE",
                                          "DATA_LOSS",
                                          "UNAUTHENTICATED"};
  for (size_t code = 0; code < names.size(); ++code) {
    EXPECT_EQ(CodeName(static_cast<grpc::StatusCode>(code)), names[code]);
  }
  EXPECT_EQ(CodeName(static_cast<grpc::StatusCode>(42)), "UNKNOWN");
}

TEST(ErrorOutputTest, ReasonNamesDropTheEnumPrefix) {
  EXPECT_EQ(ReasonName(v1::ERROR_REASON_AMBIGUOUS_TARGET), "AMBIGUOUS_TARGET");
  EXPECT_EQ(ReasonName(v1::ERROR_REASON_NOT_READY), "NOT_READY");
  EXPECT_EQ(ReasonName(static_cast<v1::ErrorReason>(99)), "REASON_99");
}

}  // namespace
}  // namespace tao::cli
