// Image resolution (spec §4): config json -> IMAGE_<KEY> -> images.yaml ->
// versions.yaml, in temp config folders.
#include <map>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog/catalog.h"
#include "tests/server/core/catalog/config_dir.h"

namespace tao::catalog {
namespace {

using testing::ConfigDir;
using ::testing::HasSubstr;
using testing::OptionsFor;

std::string ConfigJson(const std::string& image) {
  return "{\"api_params\": {\"image\": \"" + image +
         "\"}, \"spec_params\": {}}";
}

absl::StatusOr<std::string> Resolve(
    const ConfigDir& dir, const std::string& arch,
    std::map<std::string, std::string> env = {}) {
  absl::StatusOr<std::unique_ptr<Catalog>> catalog =
      Catalog::Create(OptionsFor(dir.path(), std::move(env)));
  if (!catalog.ok()) return catalog.status();
  return (*catalog)->ResolveImage(arch);
}

TEST(CatalogImageTest, RealConfigResolvesBothArchitectures) {
  ConfigDir dir;
  EXPECT_EQ(*Resolve(dir, "cosmos-rl"),
            "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl");
  // DESIGN decision: COSMOS_PREDICT2_5 -> tao_toolkit.cosmos_predict.
  EXPECT_EQ(*Resolve(dir, "cosmos-predict2.5"),
            "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-predict");
}

TEST(CatalogImageTest, MappingPointsIntoTheManifest) {
  ConfigDir dir;
  dir.Write("images.yaml", "mapping:\n  COSMOS_RL: mine.rl\n");
  dir.Write("versions.yaml",
            "images:\n  mine:\n    rl: registry.example/rl:1\n"
            "wheels:\n  x: y==1\n");
  EXPECT_EQ(*Resolve(dir, "cosmos-rl"), "registry.example/rl:1");
}

TEST(CatalogImageTest, EnvOverrideWins) {
  ConfigDir dir;
  EXPECT_EQ(*Resolve(dir, "cosmos-rl", {{"IMAGE_COSMOS_RL", "local/rl:dev"}}),
            "local/rl:dev");
  EXPECT_EQ(*Resolve(dir, "cosmos-predict2.5",
                     {{"IMAGE_COSMOS_PREDICT2_5", "local/predict:dev"},
                      {"IMAGE_COSMOS_RL", "unused"}}),
            "local/predict:dev");
}

TEST(CatalogImageTest, EmptyEnvOverrideCountsAsUnset) {
  ConfigDir dir;
  EXPECT_EQ(*Resolve(dir, "cosmos-rl", {{"IMAGE_COSMOS_RL", ""}}),
            "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl");
}

TEST(CatalogImageTest, EnvOverrideRescuesAnUnmappedKey) {
  ConfigDir dir;
  dir.Write("cosmos-rl.config.json", ConfigJson("NEW_KEY"));
  EXPECT_EQ(*Resolve(dir, "cosmos-rl", {{"IMAGE_NEW_KEY", "a/b:c"}}), "a/b:c");
}

TEST(CatalogImageTest, ImageReferenceInConfigPassesThrough) {
  ConfigDir dir;
  dir.Write("cosmos-rl.config.json",
            ConfigJson("nvcr.io/nvidia/tao/custom:1.2-rl"));
  // No key, so no IMAGE_ override applies.
  EXPECT_EQ(*Resolve(dir, "cosmos-rl", {{"IMAGE_COSMOS_RL", "ignored/x:1"}}),
            "nvcr.io/nvidia/tao/custom:1.2-rl");
  dir.Write("cosmos-rl.config.json", ConfigJson("ubuntu:22.04"));
  EXPECT_EQ(*Resolve(dir, "cosmos-rl"), "ubuntu:22.04");
}

TEST(CatalogImageTest, ImageReferenceInMappingPassesThrough) {
  ConfigDir dir;
  dir.Write("images.yaml",
            "mapping:\n  COSMOS_RL: example.com/team/rl@sha256:abc\n");
  EXPECT_EQ(*Resolve(dir, "cosmos-rl"), "example.com/team/rl@sha256:abc");
}

TEST(CatalogImageTest, KeyMissingFromMappingNamesKeyFileAndFix) {
  ConfigDir dir;
  dir.Write("cosmos-rl.config.json", ConfigJson("NEW_KEY"));
  absl::StatusOr<std::string> image = Resolve(dir, "cosmos-rl");
  EXPECT_EQ(image.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(image.status().message()), HasSubstr("NEW_KEY"));
  EXPECT_THAT(std::string(image.status().message()),
              HasSubstr(dir.File("images.yaml")));
  EXPECT_THAT(std::string(image.status().message()),
              HasSubstr("set IMAGE_NEW_KEY"));
}

TEST(CatalogImageTest, KeyMissingFromManifestNamesKeyFileAndFix) {
  ConfigDir dir;
  // The skill bank's original mapping, whose key the manifest lacks.
  dir.Write("images.yaml",
            "mapping:\n  COSMOS_PREDICT2_5: tao_toolkit.cosmos_predict_2_5\n");
  absl::StatusOr<std::string> image = Resolve(dir, "cosmos-predict2.5");
  EXPECT_EQ(image.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(image.status().message()),
              HasSubstr("COSMOS_PREDICT2_5"));
  EXPECT_THAT(std::string(image.status().message()),
              HasSubstr("tao_toolkit.cosmos_predict_2_5"));
  EXPECT_THAT(std::string(image.status().message()),
              HasSubstr(dir.File("versions.yaml")));
  EXPECT_THAT(std::string(image.status().message()),
              HasSubstr("set IMAGE_COSMOS_PREDICT2_5"));
}

TEST(CatalogImageTest, UnknownArchitectureIsInvalidArgument) {
  ConfigDir dir;
  EXPECT_EQ(Resolve(dir, "tao-dataservices").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CatalogImageTest, DefaultGetenvReadsTheProcessEnvironment) {
  ConfigDir dir;
  Catalog::Options options;
  options.config_dir = dir.path();
  ASSERT_EQ(setenv("IMAGE_COSMOS_RL", "from/process:env", 1), 0);
  absl::StatusOr<std::unique_ptr<Catalog>> catalog = Catalog::Create(options);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(*(*catalog)->ResolveImage("cosmos-rl"), "from/process:env");
  unsetenv("IMAGE_COSMOS_RL");
  EXPECT_EQ(*(*catalog)->ResolveImage("cosmos-rl"),
            "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl");
}

}  // namespace
}  // namespace tao::catalog
