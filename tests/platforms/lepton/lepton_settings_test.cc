#include "platforms/lepton/lepton_settings.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::platforms::lepton {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "lepton-SECRET-token-8c1f42";

class LeptonSettingsTest : public ::testing::Test {
 protected:
  absl::StatusOr<LeptonSettings> Load() {
    return LeptonSettingsFromEnvironment(
        [this](absl::string_view name) -> std::optional<std::string> {
          auto it = env_.find(std::string(name));
          if (it == env_.end()) return std::nullopt;
          return it->second;
        });
  }

  // A load that must fail with `code`; its message, checked for the token.
  std::string LoadError(absl::StatusCode code) {
    absl::StatusOr<LeptonSettings> settings = Load();
    EXPECT_FALSE(settings.ok()) << settings->DebugString();
    if (settings.ok()) return "";
    EXPECT_EQ(settings.status().code(), code) << settings.status();
    std::string message(settings.status().message());
    EXPECT_THAT(message, Not(HasSubstr(kToken)));
    EXPECT_THAT(message, Not(HasSubstr("SECRET")));
    return message;
  }

  std::map<std::string, std::string> env_;
};

TEST_F(LeptonSettingsTest, DefaultsToTheDgxcGatewayWithItsOrigin) {
  env_ = {{"LEPTON_WORKSPACE_ID", "ws42"}, {"LEPTON_WORKSPACE_TOKEN", kToken}};
  absl::StatusOr<LeptonSettings> settings = Load();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->workspace_id, "ws42");
  EXPECT_EQ(settings->workspace_url,
            "https://gateway.dgxc-lepton.nvidia.com/api/v2/workspaces/ws42");
  EXPECT_EQ(settings->origin_url, settings->workspace_url);
  EXPECT_EQ(settings->token, kToken);
  EXPECT_EQ(settings->token_variable, "LEPTON_WORKSPACE_TOKEN");
}

TEST_F(LeptonSettingsTest, ACredentialIdCarriesTheToken) {
  env_ = {{"LEPTON_WORKSPACE_ID", absl::StrCat("ws42:", kToken)}};
  absl::StatusOr<LeptonSettings> settings = Load();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->workspace_id, "ws42");
  EXPECT_EQ(settings->token, kToken);
  EXPECT_EQ(settings->token_variable, "LEPTON_WORKSPACE_ID");

  env_["LEPTON_WORKSPACE_TOKEN"] = kToken;  // the same: fine
  EXPECT_TRUE(Load().ok());
  env_["LEPTON_WORKSPACE_TOKEN"] = "other-SECRET-token";
  EXPECT_THAT(LoadError(absl::StatusCode::kInvalidArgument),
              HasSubstr("LEPTON_WORKSPACE_TOKEN"));

  env_ = {{"LEPTON_WORKSPACE_ID", "ws42:"}};
  EXPECT_THAT(LoadError(absl::StatusCode::kInvalidArgument),
              HasSubstr("LEPTON_WORKSPACE_ID"));
}

TEST_F(LeptonSettingsTest, TheSkillsAuthTokenIsAnAliasAfterTheSdksName) {
  env_ = {{"LEPTON_WORKSPACE_ID", "ws42"}, {"LEPTON_AUTH_TOKEN", kToken}};
  absl::StatusOr<LeptonSettings> settings = Load();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->token, kToken);
  EXPECT_EQ(settings->token_variable, "LEPTON_AUTH_TOKEN");

  env_["LEPTON_WORKSPACE_TOKEN"] = "sdk-token-wins";
  settings = Load();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->token, "sdk-token-wins");
  EXPECT_EQ(settings->token_variable, "LEPTON_WORKSPACE_TOKEN");
}

TEST_F(LeptonSettingsTest, AnExplicitUrlHasNoOriginUnlessItIsDgxc) {
  env_ = {
      {"LEPTON_WORKSPACE_ID", "ws42"},
      {"LEPTON_WORKSPACE_TOKEN", kToken},
      {"LEPTON_WORKSPACE_URL", "http://127.0.0.1:9/api/v2/workspaces/ws42/"}};
  absl::StatusOr<LeptonSettings> settings = Load();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->workspace_url,
            "http://127.0.0.1:9/api/v2/workspaces/ws42");
  EXPECT_EQ(settings->origin_url, "");

  env_["LEPTON_WORKSPACE_ORIGIN_URL"] =
      "https://gateway.dgxc-lepton.nvidia.com";
  settings = Load();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->origin_url, "https://gateway.dgxc-lepton.nvidia.com");

  env_.erase("LEPTON_WORKSPACE_ORIGIN_URL");
  env_["LEPTON_WORKSPACE_URL"] =
      "https://other.dgxc.example/api/v2/workspaces/ws42";
  settings = Load();
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->origin_url, settings->workspace_url);
}

TEST_F(LeptonSettingsTest, MissingVariablesAreNamed) {
  EXPECT_THAT(LoadError(absl::StatusCode::kFailedPrecondition),
              HasSubstr("LEPTON_WORKSPACE_ID"));
  env_ = {{"LEPTON_WORKSPACE_ID", "ws42"}, {"LEPTON_WORKSPACE_TOKEN", ""}};
  const std::string message = LoadError(absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(message, HasSubstr("LEPTON_WORKSPACE_TOKEN"));
  EXPECT_THAT(message, HasSubstr("LEPTON_AUTH_TOKEN"));
}

TEST_F(LeptonSettingsTest, BadValuesAreNamedWithoutTheToken) {
  env_ = {{"LEPTON_WORKSPACE_ID", "ws/42"}, {"LEPTON_WORKSPACE_TOKEN", kToken}};
  EXPECT_THAT(LoadError(absl::StatusCode::kInvalidArgument),
              HasSubstr("LEPTON_WORKSPACE_ID"));

  env_["LEPTON_WORKSPACE_ID"] = "ws42";
  env_["LEPTON_WORKSPACE_URL"] = "gateway.example/api";
  EXPECT_THAT(LoadError(absl::StatusCode::kInvalidArgument),
              HasSubstr("LEPTON_WORKSPACE_URL"));
  env_["LEPTON_WORKSPACE_URL"] = "https://gateway.example/api";
  env_["LEPTON_WORKSPACE_ORIGIN_URL"] = "ftp://x";
  EXPECT_THAT(LoadError(absl::StatusCode::kInvalidArgument),
              HasSubstr("LEPTON_WORKSPACE_ORIGIN_URL"));

  env_.erase("LEPTON_WORKSPACE_ORIGIN_URL");
  env_["LEPTON_WORKSPACE_TOKEN"] = absl::StrCat(kToken, "\nX-Evil: 1");
  EXPECT_THAT(LoadError(absl::StatusCode::kInvalidArgument),
              HasSubstr("LEPTON_WORKSPACE_TOKEN"));
}

TEST_F(LeptonSettingsTest, DebugStringHidesTheToken) {
  env_ = {{"LEPTON_WORKSPACE_ID", absl::StrCat("ws42:", kToken)}};
  absl::StatusOr<LeptonSettings> settings = Load();
  ASSERT_TRUE(settings.ok()) << settings.status();
  const std::string text = settings->DebugString();
  EXPECT_THAT(text, Not(HasSubstr(kToken)));
  EXPECT_THAT(text, HasSubstr("ws42"));
  EXPECT_THAT(text, HasSubstr("LEPTON_WORKSPACE_ID"));
  EXPECT_THAT(text, HasSubstr(settings->workspace_url));
}

}  // namespace
}  // namespace tao::platforms::lepton
