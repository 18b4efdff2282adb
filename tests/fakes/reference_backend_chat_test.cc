#include "tests/fakes/reference_backend_chat.h"

#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fakes/reference_backend_base64.h"
#include "tests/fakes/reference_backend_mp4.h"

namespace tao::fakes {
namespace {

using Json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

LaunchConfig Config(Arch arch) {
  LaunchConfig config;
  config.arch = arch;
  config.model_path =
      arch == Arch::kCosmosRl ? "hf_model://nvidia/R+x" : "base-2b";
  return config;
}

Json UserMessage(const Json& content) {
  return {{"messages", {{{"role", "user"}, {"content", content}}}}};
}

Json WithMedia(const std::string& kind, const std::string& url) {
  return UserMessage(Json::array({{{"type", "text"}, {"text", "Describe it"}},
                                  {{"type", kind}, {kind, {{"url", url}}}}}));
}

struct RefusalCase {
  std::string name;
  Arch arch;
  std::string body;
  std::string message;
};

void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

class ChatRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(ChatRefusalTest, Answers400InvalidRequest) {
  const RefusalCase& c = GetParam();
  HttpAnswer answer = AnswerChat(Config(c.arch), c.body, absl::Now());
  EXPECT_EQ(answer.status, 400) << answer.body.dump();
  EXPECT_EQ(answer.body["error"]["type"], "invalid_request");
  EXPECT_THAT(answer.body["error"]["message"].get<std::string>(),
              HasSubstr(c.message));
}

const std::string kPng = "data:image/png;base64,iVBORw0KGgo=";

INSTANTIATE_TEST_SUITE_P(
    Table, ChatRefusalTest,
    ::testing::Values(
        RefusalCase{"EmptyBody", Arch::kCosmosRl, "",
                    "Request body is required"},
        RefusalCase{"EmptyObject", Arch::kCosmosPredict, "{}",
                    "Request body is required"},
        RefusalCase{"NotJson", Arch::kCosmosRl, "{oops",
                    "Request body is required"},
        RefusalCase{"CosmosRlWithoutMedia", Arch::kCosmosRl,
                    UserMessage("hello").dump(),
                    "Cosmos requires 'media' parameter"},
        RefusalCase{
            "UnsupportedMime", Arch::kCosmosRl,
            WithMedia("image_url", "data:image/svg+xml;base64,PHN2Zz4=").dump(),
            "Unsupported media type: image/svg+xml"},
        RefusalCase{
            "CosmosRlRefusesWebpExtension", Arch::kCosmosRl,
            WithMedia("image_url", "data:image/webp;base64,AAAA").dump(),
            "unsupported extensions"},
        RefusalCase{"PredictRefusesAvi", Arch::kCosmosPredict,
                    WithMedia("video_url", "data:video/avi;base64,AAAA").dump(),
                    "Unsupported media type: video/avi"},
        RefusalCase{"CloudUri", Arch::kCosmosRl,
                    WithMedia("video_url", "s3://bucket/v.mp4").dump(),
                    "Cloud storage URIs are not supported"},
        RefusalCase{"UrlExtension", Arch::kCosmosRl,
                    WithMedia("image_url", "https://example.com/a.gif").dump(),
                    "unsupported extensions"},
        RefusalCase{"MessagesNotAList", Arch::kCosmosRl, R"({"messages":"hi"})",
                    "'messages' must be a list"},
        RefusalCase{
            "GuidanceOutOfRange", Arch::kCosmosPredict,
            R"({"messages":[{"role":"user","content":"a"}],"guidance":9})",
            "guidance must be an integer from 0 to 7"},
        RefusalCase{"MaxTokensNotAnInteger", Arch::kCosmosRl,
                    [] {
                      Json body = WithMedia("image_url", kPng);
                      body["max_tokens"] = "many";
                      return body.dump();
                    }(),
                    "max_tokens must be a positive integer"}),
    [](const auto& info) { return info.param.name; });

TEST(ChatAnswerTest, CosmosRlEchoesWhatItUnderstood) {
  Json body = {
      {"messages",
       {{{"role", "system"}, {"content", "Be brief."}},
        {{"role", "user"},
         {"content",
          {{{"type", "image_url"}, {"image_url", {{"url", kPng}}}},
           {{"type", "video_url"},
            {"video_url", {{"url", "https://example.com/v.mp4?x=1"}}}},
           {{"type", "text"}, {"text", "What is \"this\"?"}}}}},
        {{"role", "user"}, {"content", "ignored second user message"}}}},
      {"max_tokens", 64},
      {"temperature", 0.2},
      {"top_p", 0.8},
      {"seed", 3}};
  const absl::Time now = absl::FromUnixSeconds(1700000000);
  HttpAnswer answer = AnswerChat(Config(Arch::kCosmosRl), body.dump(), now);
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_EQ(answer.body["choices"][0]["message"]["content"],
            "reference backend (a test backend, not a model) for cosmos-rl: "
            "prompt=\"What is \\\"this\\\"?\" system=\"Be brief.\" media=2 "
            "max_new_tokens=64 temperature=0.2 top_p=0.8 seed=3");
  EXPECT_EQ(answer.body["object"], "chat.completion");
  EXPECT_EQ(answer.body["created"], 1700000000);
  EXPECT_EQ(answer.body["model"], "hf_model://nvidia/R+x");
  EXPECT_EQ(answer.body["id"], "chatcmpl-20231114221320000000");
  EXPECT_EQ(answer.body["choices"][0]["index"], 0);
  EXPECT_EQ(answer.body["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(answer.body["choices"][0]["message"]["role"], "assistant");
  EXPECT_FALSE(answer.body.contains("usage"));
}

TEST(ChatAnswerTest, CosmosRlAppliesServerDefaults) {
  HttpAnswer answer =
      AnswerChat(Config(Arch::kCosmosRl),
                 WithMedia("video_url", "/data/clip.MOV").dump(), absl::Now());
  ASSERT_EQ(answer.status, 200) << answer.body.dump();
  EXPECT_THAT(
      answer.body["choices"][0]["message"]["content"].get<std::string>(),
      HasSubstr("media=1 max_new_tokens=1024 temperature=0.7"));
  EXPECT_THAT(answer.body["id"].get<std::string>(),
              MatchesRegex("chatcmpl-[0-9]{20}"));
}

TEST(ChatAnswerTest, PredictAnswersWithTheTinyVideo) {
  for (const Json& body :
       {UserMessage("a red ball rolls"), WithMedia("image_url", kPng),
        WithMedia("video_url", "data:video/mp4;base64,AAAA")}) {
    HttpAnswer answer =
        AnswerChat(Config(Arch::kCosmosPredict), body.dump(), absl::Now());
    ASSERT_EQ(answer.status, 200) << answer.body.dump();
    EXPECT_EQ(answer.body["choices"][0]["message"]["content"],
              "data:video/mp4;base64," + Base64Encode(BuildTinyMp4()));
    EXPECT_EQ(answer.body["model"], "base-2b");
  }
}

}  // namespace
}  // namespace tao::fakes
