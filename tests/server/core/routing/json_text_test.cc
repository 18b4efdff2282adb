// The hand-written JSON of the request body must read back as what was meant.
#include "server/core/routing/json_text.h"

#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace tao::routing {
namespace {

TEST(JsonTextTest, EscapesWhatJsonRequires) {
  std::string out;
  AppendJsonString(
      "a\"b\\c\nd\te\x01"
      "f/é",
      &out);
  EXPECT_EQ(out, R"("a\"b\\c\nd\te\u0001f/é")");
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(),
            "a\"b\\c\nd\te\x01"
            "f/é");
}

TEST(JsonTextTest, EveryControlCharacterReadsBack) {
  std::string text;
  for (int c = 0; c < 0x20; ++c) text.push_back(static_cast<char>(c));
  std::string out;
  AppendJsonString(text, &out);
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), text);
}

TEST(JsonTextTest, DoublesUseTheShortestText) {
  EXPECT_EQ(JsonDouble(0.7), "0.7");
  EXPECT_EQ(JsonDouble(0.8), "0.8");
  EXPECT_EQ(JsonDouble(2.0), "2.0");
  EXPECT_EQ(JsonDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(JsonDouble(0.0), "0.0");
}

}  // namespace
}  // namespace tao::routing
