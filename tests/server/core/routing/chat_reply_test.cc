// ParseChatReply: the 200 answer of spec §9, text and video.
#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/core/routing/chat_request.h"
#include "server/core/routing/data_uri.h"

namespace tao::routing {
namespace {

namespace v1 = ::tao::inference::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kTextAnswer[] =
    R"({"id":"chatcmpl-20260503233000123456","object":"chat.completion",)"
    R"("created":1777851000,"model":"nvidia/Cosmos-Reason2-8B",)"
    R"("choices":[{"index":0,"message":{"role":"assistant",)"
    R"("content":"A robot picks up a red cube."},"finish_reason":"stop"}]})";

TEST(ParseChatReplyTest, TextAnswer) {
  absl::StatusOr<v1::InferResponse> response = ParseChatReply(kTextAnswer);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->id(), "chatcmpl-20260503233000123456");
  EXPECT_EQ(response->model(), "nvidia/Cosmos-Reason2-8B");
  EXPECT_EQ(response->created(), 1777851000);
  ASSERT_EQ(response->choices_size(), 1);
  const v1::Choice& choice = response->choices(0);
  EXPECT_EQ(choice.index(), 0);
  EXPECT_EQ(choice.finish_reason(), "stop");
  EXPECT_EQ(choice.text(), "A robot picks up a red cube.");
  EXPECT_TRUE(choice.media().empty());
  EXPECT_TRUE(choice.media_mime_type().empty());
  EXPECT_EQ(response->raw_json(), kTextAnswer);  // the backend's own bytes
}

TEST(ParseChatReplyTest, VideoAnswerIsDecodedAndElided) {
  std::string video;
  for (int i = 0; i < 100000; ++i) video.push_back(static_cast<char>(i * 7));
  const std::string body =
      R"({"id":"chatcmpl-1","object":"chat.completion","created":5,)"
      R"("model":"base-2b","choices":[{"index":0,"message":{"role":)"
      R"("assistant","content":")" +
      BuildDataUri("video/mp4", video) + R"("},"finish_reason":"stop"}]})";
  absl::StatusOr<v1::InferResponse> response = ParseChatReply(body);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->choices_size(), 1);
  const v1::Choice& choice = response->choices(0);
  EXPECT_TRUE(choice.text().empty());
  EXPECT_EQ(choice.media_mime_type(), "video/mp4");
  EXPECT_TRUE(choice.media() == video);
  EXPECT_LT(response->raw_json().size(), 400u);
  nlohmann::json raw = nlohmann::json::parse(response->raw_json());
  EXPECT_EQ(raw["choices"][0]["message"]["content"],
            "data:video/mp4;base64,<100000 bytes elided>");
  EXPECT_EQ(raw["model"], "base-2b");
  EXPECT_EQ(raw["object"], "chat.completion");
}

TEST(ParseChatReplyTest, TextStartingWithDataIsText) {
  const std::string body =
      R"({"choices":[{"message":{"content":"data: the chart shows growth"}}]})";
  absl::StatusOr<v1::InferResponse> response = ParseChatReply(body);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->choices(0).text(), "data: the chart shows growth");
  EXPECT_TRUE(response->choices(0).media().empty());
  EXPECT_EQ(response->raw_json(), body);
}

TEST(ParseChatReplyTest, OptionalFieldsMayBeMissingOrNull) {
  absl::StatusOr<v1::InferResponse> response = ParseChatReply(
      R"({"id":null,"choices":[{"message":{"content":null},"finish_reason":null},)"
      R"({"message":{"content":"second"}}]})");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->id(), "");
  EXPECT_EQ(response->created(), 0);
  ASSERT_EQ(response->choices_size(), 2);
  EXPECT_EQ(response->choices(0).text(), "");
  EXPECT_EQ(response->choices(1).index(), 1);  // position when absent
  EXPECT_EQ(response->choices(1).text(), "second");
}

struct MalformedCase {
  std::string name;
  std::string body;
  std::string error_has;
  friend void PrintTo(const MalformedCase& c, std::ostream* os) {
    *os << c.name;
  }
};

class MalformedReplyTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedReplyTest, IsInternalNamingWhat) {
  absl::StatusOr<v1::InferResponse> response = ParseChatReply(GetParam().body);
  ASSERT_EQ(response.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(response.status().message(), HasSubstr("malformed"));
  EXPECT_THAT(response.status().message(), HasSubstr(GetParam().error_has));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedReplyTest,
    ::testing::Values(
        MalformedCase{"Empty", "", "not JSON"},
        MalformedCase{"NotJson", "<html>502 Bad Gateway</html>",
                      "not JSON (error at byte 1): <html>"},
        MalformedCase{"Truncated", R"({"choices":[{"message":)", "not JSON"},
        MalformedCase{"NotObject", "[1,2]", "not a JSON object"},
        MalformedCase{"NoChoices", R"({"id":"x"})",
                      "choices is missing or not an array"},
        MalformedCase{"ChoicesNotArray", R"({"choices":{}})",
                      "choices is missing or not an array"},
        MalformedCase{"EmptyChoices", R"({"choices":[]})", "choices is empty"},
        MalformedCase{"ChoiceNotObject", R"({"choices":[3]})",
                      "choices[0] is not an object"},
        MalformedCase{"NoMessage", R"({"choices":[{"index":0}]})",
                      "choices[0].message is missing"},
        MalformedCase{"ContentNotString",
                      R"({"choices":[{"message":{"content":[1]}}]})",
                      "choices[0].message.content is not a string"},
        MalformedCase{"IndexNotInteger",
                      R"({"choices":[{"index":"0","message":{}}]})",
                      "choices[0].index is not an integer"},
        MalformedCase{"IdNotString", R"({"id":1,"choices":[]})",
                      "id is not a string"},
        MalformedCase{"CreatedNotNumber", R"({"created":"now","choices":[]})",
                      "created is not a number"},
        MalformedCase{
            "BadVideoBase64",
            R"({"choices":[{"message":{"content":"data:video/mp4;base64,@@"}}]})",
            "choices[0].message.content: data: URI payload"}),
    [](const auto& info) { return info.param.name; });

TEST(ParseChatReplyTest, HugeMalformedBodyIsTruncatedInTheError) {
  const std::string body = "{\"choices\": \"" + std::string(1 << 20, 'x');
  absl::StatusOr<v1::InferResponse> response = ParseChatReply(body);
  ASSERT_EQ(response.status().code(), absl::StatusCode::kInternal);
  EXPECT_LT(response.status().message().size(), 500u);
  EXPECT_THAT(response.status().message(), HasSubstr("1048589 bytes"));
  EXPECT_THAT(response.status().message(),
              Not(HasSubstr(std::string(300, 'x'))));
}

}  // namespace
}  // namespace tao::routing
