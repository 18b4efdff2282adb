#include <sstream>
#include <string>
#include <vector>

#include "client/cli/sampling_fields.h"
#include "client/cli/sampling_prompt.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/cli/described_schema.h"

namespace tao::cli {
namespace {

using tao::cli::testing::Field;
using tao::cli::testing::Schema;
using tao::inference::v1::SamplingFieldDescription;
using tao::inference::v1::SamplingParams;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Names(const SamplingFields& fields) {
  std::vector<std::string> names;
  for (const auto& field : fields) names.push_back(field.name());
  return names;
}

TEST(SamplingFieldsTest, AcceptedValuesFollowTheBounds) {
  EXPECT_EQ(AcceptedValues(Field("t", "0.7", {0, 2})), "in [0, 2]");
  EXPECT_EQ(AcceptedValues(Field("p", "0.8", {0, 1, true})), "in (0, 1]");
  EXPECT_EQ(AcceptedValues(Field("m", "1", {1, std::nullopt})), "at least 1");
  EXPECT_EQ(AcceptedValues(Field("x", "1", {0, std::nullopt, true})),
            "above 0");
  EXPECT_EQ(AcceptedValues(Field("g", "1", {std::nullopt, 7})), "at most 7");
  EXPECT_EQ(AcceptedValues(Field("n", std::nullopt)), "");
  SamplingFieldDescription choice = Field("mode", "fast");
  choice.add_allowed_values("fast");
  choice.add_allowed_values("fine");
  EXPECT_EQ(AcceptedValues(choice), "one of fast, fine");
}

TEST(SamplingFieldsTest, ValueProblemHonoursExclusiveBoundsAndChoices) {
  const SamplingFieldDescription top_p = Schema("cosmos-rl")[2];
  SamplingParams params;
  EXPECT_EQ(ValueProblem(params, top_p), "");  // unset
  params.set_top_p(0);
  EXPECT_EQ(ValueProblem(params, top_p), "top_p must be in (0, 1]");
  params.set_top_p(1);
  EXPECT_EQ(ValueProblem(params, top_p), "");
  params.set_top_p(1.01);
  EXPECT_EQ(ValueProblem(params, top_p), "top_p must be in (0, 1]");

  const SamplingFieldDescription seed = Schema("cosmos-predict2.5")[3];
  params.set_seed(-1);
  EXPECT_EQ(ValueProblem(params, seed), "seed must be at least 0");
  params.set_seed(0);
  EXPECT_EQ(ValueProblem(params, seed), "");

  SamplingFieldDescription prompt = Field("negative_prompt", std::nullopt);
  prompt.add_allowed_values("rain");
  params.set_negative_prompt("snow");
  EXPECT_EQ(ValueProblem(params, prompt),
            "negative_prompt must be one of rain");
  params.set_negative_prompt("rain");
  EXPECT_EQ(ValueProblem(params, prompt), "");
}

TEST(SamplingFieldsTest, SetAndReadByName) {
  SamplingParams params;
  ASSERT_TRUE(SetSamplingField(&params, "max_tokens", " 12 ").ok());
  ASSERT_TRUE(SetSamplingField(&params, "temperature", "0.5").ok());
  ASSERT_TRUE(SetSamplingField(&params, "seed", "-9000000000").ok());
  ASSERT_TRUE(SetSamplingField(&params, "negative_prompt", "no cats").ok());
  EXPECT_EQ(params.max_tokens(), 12);
  EXPECT_EQ(params.seed(), -9000000000LL);
  EXPECT_EQ(SamplingFieldText(params, "temperature"), "0.5");
  EXPECT_EQ(SamplingFieldText(params, "negative_prompt"), "no cats");
  EXPECT_EQ(SamplingFieldText(params, "top_p"), "");
  EXPECT_THAT(SetSamplingFieldNames(params),
              ::testing::ElementsAre("max_tokens", "temperature", "seed",
                                     "negative_prompt"));
  EXPECT_FALSE(SetSamplingField(&params, "max_tokens", "1.5").ok());
  EXPECT_FALSE(SetSamplingField(&params, "top_p", "nan").ok());
  EXPECT_FALSE(SetSamplingField(&params, "nope", "1").ok());
  EXPECT_EQ(FlagForField("num_steps"), "--num-steps");
}

TEST(SamplingFieldsTest, EveryFlagIsInTheHelp) {
  EXPECT_THAT(
      AllSamplingFlags(),
      ::testing::ElementsAre("--max-tokens N", "--top-p X", "--temperature X",
                             "--guidance N", "--num-steps N", "--seed N",
                             "--negative-prompt TEXT"));
}

TEST(SamplingFieldsTest, FieldsOfAnotherArchitectureAreRefused) {
  SamplingParams params;
  params.set_temperature(0.3);
  absl::Status status = CheckFieldsApply(params, "cosmos-predict2.5",
                                         Schema("cosmos-predict2.5"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("--temperature does not apply to cosmos-predict2.5"));
  EXPECT_THAT(status.message(), HasSubstr("--guidance"));
  EXPECT_TRUE(CheckFieldsApply(params, "cosmos-rl", Schema("cosmos-rl")).ok());
}

class ResolveSamplingTest : public ::testing::Test {
 protected:
  absl::StatusOr<SamplingOutcome> Resolve(const std::string& arch,
                                          const SamplingParams& given,
                                          bool is_tty, bool accept_defaults,
                                          const std::string& typed) {
    in_.str(typed);
    SamplingPromptOptions options;
    options.is_tty = is_tty;
    options.accept_defaults = accept_defaults;
    return ResolveSampling(arch, Schema(arch), given, options, in_, out_);
  }

  std::istringstream in_;
  std::ostringstream out_;
};

TEST_F(ResolveSamplingTest, TerminalEnterKeepsEveryDefault) {
  auto outcome = Resolve("cosmos-rl", {}, true, false, "\n\n\n");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_FALSE(outcome->refused);
  // Defaults are left to the server, which echoes what it applied.
  EXPECT_TRUE(SetSamplingFieldNames(outcome->params).empty());
  // One round: the overview with every default, then one question each.
  const std::string shown = out_.str();
  EXPECT_THAT(shown, HasSubstr("Sampling fields for cosmos-rl"));
  EXPECT_THAT(shown, HasSubstr("max_tokens [1024]: "));
  EXPECT_THAT(shown, HasSubstr("temperature [0.7]: "));
  EXPECT_THAT(shown, HasSubstr("top_p [0.8]: "));
  EXPECT_LT(shown.find("default 0.8"), shown.find("max_tokens [1024]: "));
}

TEST_F(ResolveSamplingTest, TerminalAnswersOverrideDefaults) {
  auto outcome = Resolve("cosmos-rl", {}, true, false, "256\n\n0.95\n");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->params.max_tokens(), 256);
  EXPECT_FALSE(outcome->params.has_temperature());
  EXPECT_DOUBLE_EQ(outcome->params.top_p(), 0.95);
}

TEST_F(ResolveSamplingTest, TerminalAsksOnlyForFieldsNotGiven) {
  SamplingParams given;
  given.set_temperature(1.5);
  auto outcome = Resolve("cosmos-rl", given, true, false, "\n\n");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_DOUBLE_EQ(outcome->params.temperature(), 1.5);
  EXPECT_THAT(out_.str(), HasSubstr("= 1.5 (from --temperature)"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("temperature [0.7]: ")));
}

TEST_F(ResolveSamplingTest, TerminalAsksAgainAfterABadAnswer) {
  auto outcome = Resolve("cosmos-predict2.5", {}, true, false,
                         "lots\n\n9\n5\n\n42\nno rain\n");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_FALSE(outcome->params.has_max_tokens());
  EXPECT_EQ(outcome->params.guidance(), 5);  // 9 is out of [0, 7]
  EXPECT_FALSE(outcome->params.has_num_steps());
  EXPECT_EQ(outcome->params.seed(), 42);
  EXPECT_EQ(outcome->params.negative_prompt(), "no rain");
  EXPECT_THAT(out_.str(), HasSubstr("'lots' is not a whole number"));
  EXPECT_THAT(out_.str(), HasSubstr("guidance must be in [0, 7]"));
  EXPECT_THAT(out_.str(), HasSubstr("negative_prompt [not sent]: "));
}

TEST_F(ResolveSamplingTest, TerminalRefusesWhatTheDescriptionRefuses) {
  // top_p's minimum is exclusive, seed's minimum is 0.
  auto rl = Resolve("cosmos-rl", {}, true, false, "\n\n0\n0.5\n");
  ASSERT_TRUE(rl.ok()) << rl.status();
  EXPECT_DOUBLE_EQ(rl->params.top_p(), 0.5);
  EXPECT_THAT(out_.str(), HasSubstr("top_p must be in (0, 1]"));

  out_.str("");
  auto predict =
      Resolve("cosmos-predict2.5", {}, true, false, "\n\n\n-1\n3\n\n");
  ASSERT_TRUE(predict.ok()) << predict.status();
  EXPECT_EQ(predict->params.seed(), 3);
  EXPECT_THAT(out_.str(), HasSubstr("seed must be at least 0"));
}

TEST_F(ResolveSamplingTest, TerminalInputEndingEarlyIsAnError) {
  auto outcome = Resolve("cosmos-rl", {}, true, false, "10\n");
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(outcome.status().message(), HasSubstr("temperature"));
}

TEST_F(ResolveSamplingTest, NoTerminalRefusesAndListsMissingFields) {
  SamplingParams given;
  given.set_max_tokens(10);
  auto outcome = Resolve("cosmos-rl", given, false, false, "");
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->refused);
  EXPECT_THAT(Names(outcome->missing),
              ::testing::ElementsAre("temperature", "top_p"));
  EXPECT_EQ(out_.str(), "");  // nothing asked
  const std::string listing = DescribeFields(outcome->missing);
  EXPECT_THAT(listing, HasSubstr("--temperature X"));
  EXPECT_THAT(listing, HasSubstr("default 0.7, in [0, 2]"));
  EXPECT_THAT(listing, HasSubstr("default 0.8, in (0, 1]"));
  EXPECT_THAT(listing, HasSubstr("--top-p X"));
}

TEST_F(ResolveSamplingTest, NoTerminalWithEveryFieldGivenProceeds) {
  SamplingParams given;
  given.set_max_tokens(10);
  given.set_temperature(0.1);
  given.set_top_p(0.5);
  auto outcome = Resolve("cosmos-rl", given, false, false, "");
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->refused);
  EXPECT_EQ(outcome->params.SerializeAsString(), given.SerializeAsString());
}

TEST_F(ResolveSamplingTest, AcceptDefaultsLeavesFieldsUnsetWithoutAsking) {
  for (bool tty : {false, true}) {
    SamplingParams given;
    given.set_guidance(2);
    auto outcome = Resolve("cosmos-predict2.5", given, tty, true, "");
    ASSERT_TRUE(outcome.ok());
    EXPECT_FALSE(outcome->refused);
    EXPECT_THAT(SetSamplingFieldNames(outcome->params),
                ::testing::ElementsAre("guidance"));
    EXPECT_EQ(out_.str(), "");
  }
}

}  // namespace
}  // namespace tao::cli
