// BuildChatRequest with the rules the project ships in config/: the
// hand-built rules of the other tests must not drift from them.
#include <cstdlib>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog/catalog.h"
#include "server/core/routing/chat_request.h"

namespace tao::routing {
namespace {

namespace v1 = ::tao::inference::v1;
using ::testing::HasSubstr;

std::unique_ptr<catalog::Catalog> LoadCatalog() {
  const char* source_dir = std::getenv("TAO_SOURCE_DIR");
  catalog::Catalog::Options options;
  options.config_dir = std::string(source_dir ? source_dir : ".") + "/config";
  options.getenv = [](absl::string_view) { return std::nullopt; };
  auto catalog = catalog::Catalog::Create(options);
  EXPECT_TRUE(catalog.ok()) << catalog.status();
  return catalog.ok() ? *std::move(catalog) : nullptr;
}

v1::InferRequest RequestWithVideo() {
  v1::InferRequest request;
  v1::ChatMessage* user = request.add_messages();
  user->set_role(v1::ROLE_USER);
  user->add_parts()->mutable_video()->set_url("https://h.example/clip.mp4");
  user->add_parts()->set_text("Describe the video.");
  return request;
}

TEST(RealConfigTest, CosmosRlDefaultsAndCrossCheck) {
  auto catalog = LoadCatalog();
  ASSERT_NE(catalog, nullptr);
  auto rules = catalog->Rules("cosmos-rl");
  ASSERT_TRUE(rules.ok()) << rules.status();

  absl::StatusOr<ChatRequest> chat =
      BuildChatRequest(RequestWithVideo(), **rules);
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_THAT(chat->json_body,
              HasSubstr(R"("max_tokens":1024,"temperature":0.7,"top_p":0.8})"));

  v1::InferRequest guided = RequestWithVideo();
  guided.mutable_sampling()->set_guidance(3);
  chat = BuildChatRequest(guided, **rules);
  EXPECT_EQ(chat.status().message(),
            "sampling.guidance: cosmos-rl does not accept guidance; it "
            "applies to cosmos-predict2.5 only");

  v1::InferRequest text_only;
  text_only.add_messages()->add_parts()->set_text("hi");
  EXPECT_EQ(BuildChatRequest(text_only, **rules).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RealConfigTest, CosmosPredictDefaultsAndCrossCheck) {
  auto catalog = LoadCatalog();
  ASSERT_NE(catalog, nullptr);
  auto rules = catalog->Rules("cosmos-predict2.5");
  ASSERT_TRUE(rules.ok()) << rules.status();

  absl::StatusOr<ChatRequest> chat =
      BuildChatRequest(RequestWithVideo(), **rules);
  ASSERT_TRUE(chat.ok()) << chat.status();
  EXPECT_THAT(
      chat->json_body,
      HasSubstr(R"("max_tokens":77,"guidance":7,"num_steps":35,"seed":0})"));

  v1::InferRequest heated = RequestWithVideo();
  heated.mutable_sampling()->set_temperature(0.7);
  chat = BuildChatRequest(heated, **rules);
  EXPECT_EQ(chat.status().message(),
            "sampling.temperature: cosmos-predict2.5 does not accept "
            "temperature; it applies to cosmos-rl only");
}

}  // namespace
}  // namespace tao::routing
