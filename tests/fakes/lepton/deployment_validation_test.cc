// The create-body checks on their own (no server).
#include "tests/fakes/lepton/deployment_validation.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::fakes::lepton {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json Body(const std::string& name) {
  return {{"metadata", {{"id", name}, {"name", name}}},
          {"spec",
           {{"container",
             {{"image", "img:1"},
              {"command", {"/bin/bash", "-c", "true"}},
              {"ports", {{{"container_port", 8080}}}}}},
            {"resource_requirement",
             {{"resource_shape", "GPU.8xH100-SXM"},
              {"min_replicas", 1},
              {"max_replicas", 1}}}}}};
}

ValidationRules Rules(int limit = 32) {
  ValidationRules rules;
  rules.name_limit = limit;
  rules.node_group_ids = {"ng-1"};
  return rules;
}

TEST(DeploymentValidationTest, NamesFollowThePatternAndTheLimit) {
  EXPECT_FALSE(CheckName("tao-1b4e28ba2fa111d2883f0016d3cc", 32).has_value());
  EXPECT_FALSE(CheckName("a", 32).has_value());
  for (const char* bad : {"", "1abc", "Abc", "abc-", "a_b", "a.b", "-a"}) {
    std::optional<ApiError> error = CheckName(bad, 32);
    ASSERT_TRUE(error.has_value()) << bad;
    EXPECT_EQ(error->status, 400);
    EXPECT_EQ(error->code, "ValidationError");
    EXPECT_THAT(error->message,
                HasSubstr("Name must consist of lower case alphanumeric"));
  }
  const std::string name33(33, 'a');
  const std::string name36(36, 'a');
  ASSERT_TRUE(CheckName(name33, 32).has_value());
  EXPECT_THAT(CheckName(name33, 32)->message, HasSubstr("32 characters"));
  EXPECT_FALSE(CheckName(name36, 36).has_value());
  EXPECT_TRUE(CheckName(name36 + "a", 36).has_value());
}

TEST(DeploymentValidationTest, AcceptsTheReferenceBodyAndLowerCasesTheShape) {
  CheckedDeployment out;
  json body = Body("tao-x");
  body["spec"]["resource_requirement"]["affinity"] = {
      {"allowed_dedicated_node_groups", {"ng-1"}}};
  body["spec"]["envs"] = {
      {{"name", "A"}, {"value", "1"}},
      {{"name", "HF_TOKEN"}, {"value_from", {{"secret_name_ref", "hf"}}}}};
  body["spec"]["something_new"] = {{"x", 1}};
  ASSERT_FALSE(CheckDeployment(body, Rules(), &out).has_value());
  EXPECT_EQ(out.metadata["name"], "tao-x");
  EXPECT_EQ(out.spec["resource_requirement"]["resource_shape"],
            "gpu.8xh100-sxm");
  EXPECT_THAT(out.unknown_fields, ::testing::ElementsAre("spec.something_new"));
  EXPECT_FALSE(out.spec.contains("something_new"));
  EXPECT_EQ(out.spec["envs"], body["spec"]["envs"]);
}

TEST(DeploymentValidationTest, RefusesBadFieldsWithA400) {
  struct Case {
    const char* what;
    json patch;  // merged into the body
    const char* message_part;
  };
  const Case cases[] = {
      {"unknown shape",
       {{"spec",
         {{"resource_requirement", {{"resource_shape", "gpu.9xfoo"}}}}}},
       "resource shape gpu.9xfoo is not supported"},
      {"port 0",
       {{"spec", {{"container", {{"ports", {{{"container_port", 0}}}}}}}}},
       "between 1 and 65535"},
      {"no image", {{"spec", {{"container", {{"image", ""}}}}}}, "image"},
      {"max below min",
       {{"spec",
         {{"resource_requirement",
           {{"min_replicas", 2}, {"max_replicas", 1}}}}}},
       "max_replicas"},
      {"unknown node group",
       {{"spec",
         {{"resource_requirement",
           {{"affinity", {{"allowed_dedicated_node_groups", {"ng-9"}}}}}}}}},
       "node group ng-9 not found"},
      {"env with value and secret",
       {{"spec",
         {{"envs",
           {{{"name", "A"},
             {"value", "1"},
             {"value_from", {{"secret_name_ref", "s"}}}}}}}}},
       "exactly one"},
  };
  for (const Case& c : cases) {
    json body = Body("tao-x");
    body.merge_patch(c.patch);
    CheckedDeployment out;
    std::optional<ApiError> error = CheckDeployment(body, Rules(), &out);
    ASSERT_TRUE(error.has_value()) << c.what;
    EXPECT_EQ(error->status, 400) << c.what;
    EXPECT_THAT(error->message, HasSubstr(c.message_part)) << c.what;
  }
}

TEST(DeploymentValidationTest, AWronglyTypedFieldIsAMalformedSpec) {
  json body = Body("tao-x");
  body["spec"]["resource_requirement"]["min_replicas"] = "one";
  CheckedDeployment out;
  std::optional<ApiError> error = CheckDeployment(body, Rules(), &out);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "InvalidRequest");
  EXPECT_THAT(error->message, HasSubstr("malformed deployment spec"));
}

}  // namespace
}  // namespace tao::fakes::lepton
