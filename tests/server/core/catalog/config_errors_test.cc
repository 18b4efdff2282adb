// Catalog::Create on broken config folders: every error names the file and
// what is wrong. Each case starts from a copy of the real config/ and breaks
// one thing.
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog/catalog.h"
#include "tests/server/core/catalog/config_dir.h"

namespace tao::catalog {
namespace {

using testing::ConfigDir;
using ::testing::HasSubstr;
using testing::OptionsFor;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Replaces the first `from` in `file`; fails the test when it is absent.
void Replace(const ConfigDir& dir, const std::string& file,
             const std::string& from, const std::string& to) {
  std::string text = Read(dir.File(file));
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << "'" << from << "' not in " << file;
  text.replace(at, from.size(), to);
  dir.Write(file, text);
}

struct BrokenCase {
  std::string name;
  std::string file;  // the file the message must name
  std::function<void(const ConfigDir&)> breakage;
  absl::StatusCode code;
  std::vector<std::string> says;
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class CatalogBrokenConfigTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(CatalogBrokenConfigTest, NamesFileAndProblem) {
  const BrokenCase& c = GetParam();
  ConfigDir dir;
  c.breakage(dir);
  absl::StatusOr<std::unique_ptr<Catalog>> catalog =
      Catalog::Create(OptionsFor(dir.path()));
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.status().code(), c.code) << catalog.status();
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr(dir.File(c.file)));
  for (const std::string& text : c.says) {
    EXPECT_THAT(std::string(catalog.status().message()), HasSubstr(text));
  }
}

const char kArchs[] = "architectures.yaml";
const auto kInvalid = absl::StatusCode::kInvalidArgument;

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogBrokenConfigTest,
    ::testing::Values(
        BrokenCase{"MissingArchitectures",
                   kArchs,
                   [](const ConfigDir& d) { d.Remove(kArchs); },
                   absl::StatusCode::kNotFound,
                   {"no such file"}},
        BrokenCase{"MissingImages",
                   "images.yaml",
                   [](const ConfigDir& d) { d.Remove("images.yaml"); },
                   absl::StatusCode::kNotFound,
                   {"no such file"}},
        BrokenCase{"MissingVersions",
                   "versions.yaml",
                   [](const ConfigDir& d) { d.Remove("versions.yaml"); },
                   absl::StatusCode::kNotFound,
                   {"no such file"}},
        BrokenCase{"MissingArchConfigJson",
                   "cosmos-predict2.5.config.json",
                   [](const ConfigDir& d) {
                     d.Remove("cosmos-predict2.5.config.json");
                   },
                   absl::StatusCode::kNotFound,
                   {"no such file"}},
        BrokenCase{"YamlSyntaxHasLine",
                   "images.yaml",
                   [](const ConfigDir& d) {
                     d.Write("images.yaml", "mapping:\n  A: b\n  C: d: e\n");
                   },
                   kInvalid,
                   {"images.yaml:3:", "not valid YAML"}},
        BrokenCase{"YamlSyntaxInArchitectures",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "media_required: true",
                             "media_required: true: false");
                   },
                   kInvalid,
                   {"not valid YAML"}},
        BrokenCase{"EmptyYaml",
                   "versions.yaml",
                   [](const ConfigDir& d) { d.Write("versions.yaml", ""); },
                   kInvalid,
                   {"is empty"}},
        BrokenCase{"JsonSyntax",
                   "cosmos-rl.config.json",
                   [](const ConfigDir& d) {
                     d.Write("cosmos-rl.config.json",
                             "{\n  \"api_params\": {\"image\": }\n}\n");
                   },
                   kInvalid,
                   {"not valid JSON", "line 2"}},
        BrokenCase{"JsonWithoutImage",
                   "cosmos-rl.config.json",
                   [](const ConfigDir& d) {
                     d.Write("cosmos-rl.config.json", "{\"api_params\": {}}");
                   },
                   kInvalid,
                   {"api_params.image", "missing"}},
        BrokenCase{"JsonImageNeitherKeyNorReference",
                   "cosmos-rl.config.json",
                   [](const ConfigDir& d) {
                     d.Write("cosmos-rl.config.json",
                             "{\"api_params\": {\"image\": \"cosmos rl\"}}");
                   },
                   kInvalid,
                   {"neither an image key"}},
        BrokenCase{"MissingEnvironment",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "environment:", "unused_environment:");
                   },
                   kInvalid,
                   {"unknown key 'unused_environment'"}},
        BrokenCase{"MissingSecrets",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "  secrets:\n", "  forbidden2:\n");
                   },
                   kInvalid,
                   {"environment", "forbidden2"}},
        BrokenCase{"MisspelledKey",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "media_required: true",
                             "media_requried: true");
                   },
                   kInvalid,
                   {"architectures.cosmos-rl", "unknown key 'media_requried'"}},
        BrokenCase{"MissingSamplingType",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "        type: int\n        min: 1\n",
                             "        min: 1\n");
                   },
                   kInvalid,
                   {"sampling[0]", "missing key 'type'"}},
        BrokenCase{"BadDefault",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "default: 1024", "default: lots");
                   },
                   kInvalid,
                   {"sampling[0].default", "not a whole number"}},
        BrokenCase{"DefaultOutOfRange",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "default: 0.7", "default: 2.5");
                   },
                   kInvalid,
                   {"sampling[1].default", "above max"}},
        BrokenCase{"BadBool",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "media_required: true",
                             "media_required: maybe");
                   },
                   kInvalid,
                   {"media_required", "true or false"}},
        BrokenCase{"UnknownCommand",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "command: cosmos-rl-job",
                             "command: vllm-serve");
                   },
                   kInvalid,
                   {"unknown command 'vllm-serve'"}},
        BrokenCase{"SecretInPayload",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "{name: CLOUD_BASED,",
                             "{name: HF_TOKEN,");
                   },
                   kInvalid,
                   {"HF_TOKEN is a secret"}},
        BrokenCase{"UnknownPlaceholder",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "value: \"{job_id}\"",
                             "value: \"{user}\"");
                   },
                   kInvalid,
                   {"env_payload[1]", "placeholders"}},
        BrokenCase{"UpperCaseExtension",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "[.jpg, .jpeg,", "[.JPG, .jpeg,");
                   },
                   kInvalid,
                   {"image_extensions", "'.JPG'"}},
        BrokenCase{"ArchNameWithShellCharacters",
                   kArchs,
                   [](const ConfigDir& d) {
                     Replace(d, kArchs, "  cosmos-rl:\n", "  \"rl;id\":\n");
                   },
                   kInvalid,
                   {"architectures.rl;id", "letters, digits"}},
        BrokenCase{"MappingValue",
                   "images.yaml",
                   [](const ConfigDir& d) {
                     d.Write("images.yaml", "mapping:\n  COSMOS_RL: rl\n");
                   },
                   kInvalid,
                   {"mapping.COSMOS_RL", "versions.yaml key"}},
        BrokenCase{"ManifestLeaf",
                   "versions.yaml",
                   [](const ConfigDir& d) {
                     d.Write(
                         "versions.yaml",
                         "images:\n  tao_toolkit:\n    cosmos_rl: latest\n");
                   },
                   kInvalid,
                   {"versions.yaml:3", "images.tao_toolkit.cosmos_rl",
                    "image reference"}}),
    [](const ::testing::TestParamInfo<BrokenCase>& info) {
      return info.param.name;
    });

TEST(CatalogConfigTest, MissingFolderNamesIt) {
  absl::StatusOr<std::unique_ptr<Catalog>> catalog =
      Catalog::Create(OptionsFor("/nonexistent/tao-config"));
  EXPECT_EQ(catalog.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(catalog.status().message()),
              HasSubstr("/nonexistent/tao-config/architectures.yaml"));
}

TEST(CatalogConfigTest, RealConfigLoads) {
  absl::StatusOr<std::unique_ptr<Catalog>> catalog =
      Catalog::Create(OptionsFor(testing::RealConfigDir()));
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ((*catalog)->architectures().size(), 2u);
}

TEST(CatalogConfigTest, ArchitectureNamesAreLowerCasedForTheConfigFile) {
  ConfigDir dir;
  Replace(dir, kArchs, "  cosmos-rl:\n", "  Cosmos-RL:\n");
  absl::StatusOr<std::unique_ptr<Catalog>> catalog =
      Catalog::Create(OptionsFor(dir.path()));
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(*(*catalog)->ResolveImage("Cosmos-RL"),
            "nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl");
}

}  // namespace
}  // namespace tao::catalog
