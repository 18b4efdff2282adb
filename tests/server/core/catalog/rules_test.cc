// Request rules per architecture (spec §8, request.yaml) as loaded from the
// real config/.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog/catalog.h"
#include "tests/server/core/catalog/config_dir.h"

namespace tao::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Type = SamplingField::Type;

class CatalogRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Catalog>> catalog =
        Catalog::Create(testing::OptionsFor(testing::RealConfigDir()));
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
  }
  const ArchRules& Rules(const std::string& arch) {
    absl::StatusOr<const ArchRules*> rules = catalog_->Rules(arch);
    EXPECT_TRUE(rules.ok()) << rules.status();
    return **rules;
  }
  std::unique_ptr<Catalog> catalog_;
};

std::vector<std::string> Names(const ArchRules& rules) {
  std::vector<std::string> names;
  for (const SamplingField& field : rules.sampling) names.push_back(field.name);
  return names;
}

TEST_F(CatalogRulesTest, Architectures) {
  EXPECT_THAT(catalog_->architectures(),
              ElementsAre("cosmos-predict2.5", "cosmos-rl"));
  absl::StatusOr<const ArchRules*> unknown = catalog_->Rules("cosmos-reason");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.status().message()),
              HasSubstr("network_arch"));
  EXPECT_THAT(std::string(unknown.status().message()),
              HasSubstr("cosmos-predict2.5, cosmos-rl"));
}

TEST_F(CatalogRulesTest, CosmosRl) {
  const ArchRules& rules = Rules("cosmos-rl");
  EXPECT_EQ(rules.network_arch, "cosmos-rl");
  EXPECT_TRUE(rules.media_required);
  EXPECT_FALSE(rules.media_response);
  EXPECT_THAT(rules.image_extensions,
              ElementsAre(".jpg", ".jpeg", ".png", ".bmp", ".tiff"));
  EXPECT_THAT(rules.video_extensions,
              ElementsAre(".mp4", ".mkv", ".webm", ".avi", ".mov"));
  EXPECT_THAT(rules.image_mime_types, ElementsAre("image/jpeg", "image/png",
                                                  "image/bmp", "image/tiff"));
  EXPECT_THAT(rules.video_mime_types,
              ElementsAre("video/mp4", "video/x-matroska", "video/mkv",
                          "video/webm", "video/avi", "video/mov"));
  EXPECT_THAT(Names(rules),
              ElementsAre("max_tokens", "temperature", "top_p", "guidance",
                          "num_steps", "seed", "negative_prompt"));

  const SamplingField* max_tokens = rules.Field("max_tokens");
  ASSERT_NE(max_tokens, nullptr);
  EXPECT_EQ(max_tokens->type, Type::kInt);
  EXPECT_TRUE(max_tokens->supported);
  EXPECT_EQ(max_tokens->min, 1);
  EXPECT_EQ(max_tokens->max, std::nullopt);
  EXPECT_EQ(max_tokens->default_value, "1024");

  const SamplingField* temperature = rules.Field("temperature");
  ASSERT_NE(temperature, nullptr);
  EXPECT_EQ(temperature->type, Type::kFloat);
  EXPECT_EQ(temperature->min, 0);
  EXPECT_EQ(temperature->max, 2);
  EXPECT_FALSE(temperature->min_exclusive);
  EXPECT_EQ(temperature->default_value, "0.7");

  const SamplingField* top_p = rules.Field("top_p");
  ASSERT_NE(top_p, nullptr);
  EXPECT_EQ(top_p->type, Type::kFloat);
  EXPECT_EQ(top_p->min, 0);
  EXPECT_TRUE(top_p->min_exclusive);
  EXPECT_EQ(top_p->max, 1);
  EXPECT_EQ(top_p->default_value, "0.8");

  for (const char* name :
       {"guidance", "num_steps", "seed", "negative_prompt"}) {
    const SamplingField* field = rules.Field(name);
    ASSERT_NE(field, nullptr) << name;
    EXPECT_FALSE(field->supported) << name;
    EXPECT_EQ(field->default_value, std::nullopt) << name;
  }
  EXPECT_EQ(rules.Field("frequency_penalty"), nullptr);
}

TEST_F(CatalogRulesTest, CosmosPredict) {
  const ArchRules& rules = Rules("cosmos-predict2.5");
  EXPECT_FALSE(rules.media_required);
  EXPECT_TRUE(rules.media_response);
  EXPECT_THAT(rules.image_extensions,
              ElementsAre(".png", ".jpg", ".jpeg", ".webp"));
  EXPECT_THAT(rules.video_extensions, ElementsAre(".mp4"));
  EXPECT_THAT(rules.image_mime_types, ElementsAre("image/jpeg", "image/jpg",
                                                  "image/png", "image/webp"));
  EXPECT_THAT(rules.video_mime_types, ElementsAre("video/mp4"));
  EXPECT_THAT(Names(rules),
              ElementsAre("max_tokens", "temperature", "top_p", "guidance",
                          "num_steps", "seed", "negative_prompt"));

  EXPECT_EQ(rules.Field("max_tokens")->default_value, "77");
  EXPECT_EQ(rules.Field("max_tokens")->min, 1);
  EXPECT_FALSE(rules.Field("temperature")->supported);
  EXPECT_FALSE(rules.Field("top_p")->supported);

  const SamplingField* guidance = rules.Field("guidance");
  EXPECT_EQ(guidance->type, Type::kInt);
  EXPECT_TRUE(guidance->supported);
  EXPECT_EQ(guidance->min, 0);
  EXPECT_EQ(guidance->max, 7);
  EXPECT_EQ(guidance->default_value, "7");

  EXPECT_EQ(rules.Field("num_steps")->default_value, "35");
  EXPECT_EQ(rules.Field("num_steps")->min, 1);
  EXPECT_EQ(rules.Field("seed")->default_value, "0");
  EXPECT_EQ(rules.Field("seed")->min, 0);

  const SamplingField* negative = rules.Field("negative_prompt");
  EXPECT_EQ(negative->type, Type::kString);
  EXPECT_TRUE(negative->supported);
  EXPECT_EQ(negative->default_value, std::nullopt);
}

TEST_F(CatalogRulesTest, EveryFieldHasADescription) {
  for (const std::string& arch : catalog_->architectures()) {
    for (const SamplingField& field : Rules(arch).sampling) {
      EXPECT_FALSE(field.description.empty()) << arch << " " << field.name;
      EXPECT_EQ(field.description.find('\n'), std::string::npos)
          << arch << " " << field.name;
    }
  }
}

}  // namespace
}  // namespace tao::catalog
