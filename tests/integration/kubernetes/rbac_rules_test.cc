// The RBAC check the kubernetes end-to-end tests run: request paths to the
// access they need, and docs/kubernetes-rbac.yaml's rules allowing it or not.
#include "tests/integration/kubernetes/rbac_rules.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace tao::integration::kubernetes {
namespace {

TEST(RbacRulesTest, PathsBecomeTheAccessTheyNeed) {
  std::optional<ApiAccess> log =
      AccessOf("GET", "/api/v1/namespaces/ml/pods/p-1/log", false);
  ASSERT_TRUE(log.has_value());
  EXPECT_EQ(log->Describe(), "get pods/log in a namespace");
  EXPECT_EQ(AccessOf("GET", "/apis/batch/v1/jobs", false)->Describe(),
            "list jobs.batch cluster-wide");
  EXPECT_EQ(
      AccessOf("POST", "/apis/batch/v1/namespaces/default/jobs", false)->verb,
      "create");
  EXPECT_EQ(AccessOf("GET", "/api/v1/namespaces/default/pods", true)->verb,
            "watch");
  EXPECT_FALSE(AccessOf("GET", "/version", false).has_value());
  EXPECT_FALSE(AccessOf("GET", "/apis", false).has_value());
}

TEST(RbacRulesTest, TheDocumentedRulesAllowTheDriverAndNoMore) {
  absl::StatusOr<RbacPolicy> policy = LoadRbacPolicy(absl::StrCat(
      std::getenv("TAO_SOURCE_DIR"), "/docs/kubernetes-rbac.yaml"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  auto allows = [&](const std::string& method, const std::string& path) {
    return Allows(*policy, *AccessOf(method, path, false));
  };
  EXPECT_TRUE(allows("DELETE", "/apis/batch/v1/namespaces/default/jobs/j"));
  EXPECT_TRUE(allows("POST", "/api/v1/namespaces/default/secrets"));
  EXPECT_TRUE(allows("GET", "/api/v1/nodes/n1"));
  EXPECT_TRUE(allows("GET", "/apis/batch/v1/jobs"));
  EXPECT_FALSE(allows("GET", "/api/v1/namespaces/default/secrets"))
      << "listing Secrets is more than the driver needs";
  EXPECT_FALSE(allows("GET", "/api/v1/secrets"));
  EXPECT_FALSE(allows("POST", "/api/v1/namespaces/default/pods/p/exec"));
  EXPECT_FALSE(allows("DELETE", "/api/v1/nodes/n1"));
}

}  // namespace
}  // namespace tao::integration::kubernetes
