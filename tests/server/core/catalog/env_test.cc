// Env payload per platform (spec §5.1) and the environment name rules.
#include <memory>
#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog/catalog.h"
#include "tests/server/core/catalog/config_dir.h"

namespace tao::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

class CatalogEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Catalog>> catalog =
        Catalog::Create(testing::OptionsFor(testing::RealConfigDir()));
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
  }
  std::unique_ptr<Catalog> catalog_;
};

struct PlatformCase {
  std::string platform;
  std::string execution_backend;  // what that platform's driver reports
};

void PrintTo(const PlatformCase& c, std::ostream* os) { *os << c.platform; }

class CatalogPayloadTest : public CatalogEnvTest,
                           public ::testing::WithParamInterface<PlatformCase> {
};

TEST_P(CatalogPayloadTest, CosmosRlCarriesBackendJobIdAndCloudBased) {
  EXPECT_THAT(
      catalog_->MakeEnvPayload("cosmos-rl", GetParam().execution_backend,
                               "job-1"),
      ElementsAre(Pair("TAO_EXECUTION_BACKEND", GetParam().execution_backend),
                  Pair("TAO_API_JOB_ID", "job-1"),
                  Pair("CLOUD_BASED", "False")));
}

TEST_P(CatalogPayloadTest, CosmosPredictIsEmpty) {
  EXPECT_THAT(catalog_->MakeEnvPayload("cosmos-predict2.5",
                                       GetParam().execution_backend, "job-1"),
              IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Platforms, CatalogPayloadTest,
    ::testing::Values(PlatformCase{"local_docker", "local-docker"},
                      PlatformCase{"brev", "local-docker"},
                      PlatformCase{"lepton", "lepton"},
                      PlatformCase{"slurm", "slurm"},
                      PlatformCase{"kubernetes", "local-k8s"}),
    [](const ::testing::TestParamInfo<PlatformCase>& info) {
      return info.param.platform;
    });

TEST_F(CatalogEnvTest, UnknownArchitectureHasNoPayload) {
  EXPECT_THAT(catalog_->MakeEnvPayload("nope", "slurm", "j"), IsEmpty());
}

TEST_F(CatalogEnvTest, SecretNamesInOrder) {
  EXPECT_THAT(
      catalog_->secret_names(),
      ElementsAre("HF_TOKEN", "WANDB_API_KEY", "CLEARML_API_ACCESS_KEY",
                  "CLEARML_API_SECRET_KEY", "TAO_API_KEY", "TAO_USER_KEY"));
}

struct NameCase {
  std::string name;
  bool secret;
  bool forbidden;
  bool allowed_extra;
};

void PrintTo(const NameCase& c, std::ostream* os) { *os << c.name; }

class CatalogNameTest : public CatalogEnvTest,
                        public ::testing::WithParamInterface<NameCase> {};

TEST_P(CatalogNameTest, Classifies) {
  const NameCase& c = GetParam();
  EXPECT_EQ(catalog_->IsSecretName(c.name), c.secret);
  EXPECT_EQ(catalog_->IsForbiddenEnv(c.name), c.forbidden);
  EXPECT_EQ(catalog_->IsAllowedExtraEnv(c.name), c.allowed_extra);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogNameTest,
    ::testing::Values(NameCase{"HF_TOKEN", true, false, false},
                      NameCase{"WANDB_API_KEY", true, false, false},
                      NameCase{"CLEARML_API_ACCESS_KEY", true, false, false},
                      NameCase{"CLEARML_API_SECRET_KEY", true, false, false},
                      NameCase{"TAO_API_KEY", true, false, false},
                      NameCase{"TAO_USER_KEY", true, false, false},
                      NameCase{"TAO_ADMIN_KEY", false, true, false},
                      NameCase{"TAO_LOGGING_SERVER_URL", false, true, false},
                      // Set by the payload itself.
                      NameCase{"TAO_EXECUTION_BACKEND", false, false, false},
                      NameCase{"TAO_API_JOB_ID", false, false, false},
                      NameCase{"CLOUD_BASED", false, false, false},
                      NameCase{"WANDB_PROJECT", false, false, true},
                      NameCase{"WANDB_BASE_URL", false, false, true},
                      NameCase{"CLEARML_API_HOST", false, false, true},
                      NameCase{"TAO_LOG_LEVEL", false, false, true},
                      NameCase{"LEPTON_SHARED_MEMORY_SIZE", false, false, true},
                      // Not on the allow-list.
                      NameCase{"PATH", false, false, false},
                      NameCase{"LD_PRELOAD", false, false, false},
                      NameCase{"wandb_project", false, false, false},
                      NameCase{"", false, false, false}),
    [](const ::testing::TestParamInfo<NameCase>& info) {
      return info.param.name.empty() ? std::string("Empty") : info.param.name;
    });

}  // namespace
}  // namespace tao::catalog
