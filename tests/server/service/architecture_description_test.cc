// DescribeArchitectures' answer built from the repository's config/: what
// clients prompt from must be what the server enforces.
#include "server/service/architecture_description.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/core/catalog/config_dir.h"

namespace tao::service {
namespace {

namespace v1 = ::tao::inference::v1;
using ::google::protobuf::FieldDescriptor;
using ::testing::Contains;
using ::testing::ElementsAre;

class ArchitectureDescriptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = catalog::Catalog::Create(
        catalog::testing::OptionsFor(catalog::testing::RealConfigDir()));
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    response_ = DescribeArchitectures(**catalog);
  }

  const v1::ArchitectureDescription& Arch(const std::string& name) {
    for (const auto& arch : response_.architectures()) {
      if (arch.network_arch() == name) return arch;
    }
    ADD_FAILURE() << name << " is not described";
    static const v1::ArchitectureDescription kNone;
    return kNone;
  }

  const v1::SamplingFieldDescription& Field(const std::string& arch,
                                            const std::string& name) {
    for (const auto& field : Arch(arch).sampling_fields()) {
      if (field.name() == name) return field;
    }
    ADD_FAILURE() << arch << " has no field " << name;
    static const v1::SamplingFieldDescription kNone;
    return kNone;
  }

  static std::vector<std::string> Names(const v1::ArchitectureDescription& a) {
    std::vector<std::string> names;
    for (const auto& field : a.sampling_fields()) names.push_back(field.name());
    return names;
  }

  v1::DescribeArchitecturesResponse response_;
};

TEST_F(ArchitectureDescriptionTest, EveryArchitectureSortedByName) {
  std::vector<std::string> names;
  for (const auto& arch : response_.architectures()) {
    names.push_back(arch.network_arch());
  }
  EXPECT_THAT(names, ElementsAre("cosmos-predict2.5", "cosmos-rl"));
}

TEST_F(ArchitectureDescriptionTest, OnlyAcceptedFieldsInPromptOrder) {
  EXPECT_THAT(Names(Arch("cosmos-rl")),
              ElementsAre("max_tokens", "temperature", "top_p"));
  EXPECT_THAT(Names(Arch("cosmos-predict2.5")),
              ElementsAre("max_tokens", "guidance", "num_steps", "seed",
                          "negative_prompt"));
}

TEST_F(ArchitectureDescriptionTest, TopPHasAnExclusiveMinimumOfZero) {
  const v1::SamplingFieldDescription& top_p = Field("cosmos-rl", "top_p");
  EXPECT_EQ(top_p.type(), v1::SAMPLING_FIELD_TYPE_FLOAT);
  ASSERT_TRUE(top_p.has_min());
  EXPECT_EQ(top_p.min().value(), 0);
  EXPECT_TRUE(top_p.min().exclusive());
  ASSERT_TRUE(top_p.has_max());
  EXPECT_EQ(top_p.max().value(), 1);
  EXPECT_FALSE(top_p.max().exclusive());
  EXPECT_EQ(top_p.default_value(), "0.8");
  EXPECT_FALSE(top_p.description().empty());
}

TEST_F(ArchitectureDescriptionTest, SeedHasAnInclusiveMinimumOfZero) {
  const v1::SamplingFieldDescription& seed = Field("cosmos-predict2.5", "seed");
  EXPECT_EQ(seed.type(), v1::SAMPLING_FIELD_TYPE_INT);
  ASSERT_TRUE(seed.has_min());
  EXPECT_EQ(seed.min().value(), 0);
  EXPECT_FALSE(seed.min().exclusive());
  EXPECT_FALSE(seed.has_max());
  EXPECT_EQ(seed.default_value(), "0");
}

TEST_F(ArchitectureDescriptionTest, AFieldWithoutDefaultOrRangeSaysSo) {
  const v1::SamplingFieldDescription& negative =
      Field("cosmos-predict2.5", "negative_prompt");
  EXPECT_EQ(negative.type(), v1::SAMPLING_FIELD_TYPE_STRING);
  EXPECT_FALSE(negative.has_default_value());
  EXPECT_FALSE(negative.has_min());
  EXPECT_FALSE(negative.has_max());
  EXPECT_EQ(Field("cosmos-rl", "temperature").max().value(), 2);
  EXPECT_EQ(Field("cosmos-predict2.5", "guidance").default_value(), "7");
}

TEST_F(ArchitectureDescriptionTest, MediaRulesComeAlong) {
  const v1::ArchitectureDescription& rl = Arch("cosmos-rl");
  EXPECT_TRUE(rl.media_required());
  EXPECT_FALSE(rl.media_response());
  EXPECT_THAT(rl.image().extensions(), Contains(".png"));
  EXPECT_THAT(rl.image().mime_types(), Contains("image/png"));
  EXPECT_THAT(rl.video().extensions(), Contains(".mkv"));
  const v1::ArchitectureDescription& predict = Arch("cosmos-predict2.5");
  EXPECT_FALSE(predict.media_required());
  EXPECT_TRUE(predict.media_response());
  EXPECT_THAT(predict.video().extensions(), ElementsAre(".mp4"));
  EXPECT_THAT(predict.video().mime_types(), ElementsAre("video/mp4"));
}

// A described field a client cannot set would be a catalog/proto mismatch.
TEST_F(ArchitectureDescriptionTest, EveryFieldIsASamplingParamsFieldOfItsType) {
  for (const auto& arch : response_.architectures()) {
    for (const auto& field : arch.sampling_fields()) {
      const FieldDescriptor* proto =
          v1::SamplingParams::descriptor()->FindFieldByName(field.name());
      ASSERT_NE(proto, nullptr) << arch.network_arch() << " " << field.name();
      switch (field.type()) {
        case v1::SAMPLING_FIELD_TYPE_INT:
          EXPECT_TRUE(proto->cpp_type() == FieldDescriptor::CPPTYPE_INT32 ||
                      proto->cpp_type() == FieldDescriptor::CPPTYPE_INT64)
              << field.name();
          break;
        case v1::SAMPLING_FIELD_TYPE_FLOAT:
          EXPECT_EQ(proto->cpp_type(), FieldDescriptor::CPPTYPE_DOUBLE)
              << field.name();
          break;
        case v1::SAMPLING_FIELD_TYPE_STRING:
          EXPECT_EQ(proto->cpp_type(), FieldDescriptor::CPPTYPE_STRING)
              << field.name();
          break;
        default:
          ADD_FAILURE() << field.name() << " has no type";
      }
    }
  }
}

}  // namespace
}  // namespace tao::service
