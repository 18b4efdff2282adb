#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platforms/lepton/lepton_api.h"

namespace tao::platforms::lepton {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "workspace-SECRET-token-77aa";

LeptonSettings Settings() {
  LeptonSettings settings;
  settings.workspace_id = "ws1";
  settings.workspace_url = "https://gateway.example/api/v2/workspaces/ws1";
  settings.token = kToken;
  settings.token_variable = "LEPTON_AUTH_TOKEN";
  return settings;
}

absl::Status Mapped(long status, const std::string& body) {
  absl::Status mapped =
      LeptonErrorStatus(Settings(), "GET /deployments/tao-x", status, body);
  EXPECT_THAT(mapped.message(), Not(HasSubstr(kToken)));
  EXPECT_THAT(mapped.message(), HasSubstr("GET /deployments/tao-x"));
  EXPECT_THAT(mapped.message(), HasSubstr("ws1"));
  return mapped;
}

TEST(LeptonMessageOfTest, JsonMessageFirstThenText) {
  EXPECT_EQ(
      LeptonMessageOf(
          404,
          R"({"code":"ResourceNotFound","message":"deployment x not found"})"),
      "deployment x not found");
  EXPECT_EQ(LeptonMessageOf(401, "Not Authorized"), "Not Authorized");
  EXPECT_EQ(LeptonMessageOf(502, "bad gateway\nmore"), "bad gateway");
  EXPECT_EQ(LeptonMessageOf(503, ""), "HTTP 503");
  EXPECT_EQ(LeptonMessageOf(500, std::string(500, 'x')).size(), 200u);
}

TEST(LeptonErrorStatusTest, EachStatusHasItsCode) {
  absl::Status unauthenticated = Mapped(401, "Not Authorized");
  EXPECT_EQ(unauthenticated.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(unauthenticated.message(), HasSubstr("wrong or expired"));
  EXPECT_THAT(unauthenticated.message(), HasSubstr("LEPTON_AUTH_TOKEN"));

  EXPECT_EQ(
      Mapped(
          401,
          R"({"code":"InvalidRequest","message":"workspace is paused or terminated"})")
          .code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Mapped(403, "Forbidden").code(),
            absl::StatusCode::kPermissionDenied);

  absl::Status not_found = Mapped(
      404,
      R"({"code":"ResourceNotFound","message":"deployment tao-x not found"})");
  EXPECT_EQ(not_found.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(not_found.message(), HasSubstr("deployment tao-x not found"));

  EXPECT_EQ(
      Mapped(409, R"({"message":"deployment tao-x already exists"})").code(),
      absl::StatusCode::kAlreadyExists);
  absl::Status invalid = Mapped(400, "plain words");
  EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(invalid.message(), HasSubstr("plain words"));
  for (long status : {429L, 500L, 502L, 503L, 504L}) {
    EXPECT_EQ(Mapped(status, "").code(), absl::StatusCode::kUnavailable)
        << status;
  }
  EXPECT_EQ(Mapped(412, "").code(), absl::StatusCode::kFailedPrecondition);
}

TEST(LeptonErrorStatusTest, AnEchoedTokenIsRedacted) {
  absl::Status mapped =
      Mapped(400, absl::StrCat(R"({"message":"bad token )", kToken, R"("})"));
  EXPECT_THAT(mapped.message(), HasSubstr("bad token [REDACTED]"));
}

}  // namespace
}  // namespace tao::platforms::lepton
