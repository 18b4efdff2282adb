// FaultPlan's matching and counting, and RequestLog.
#include "tests/fakes/common/fault_plan.h"

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/common/request_log.h"

namespace tao::fakes {
namespace {

Fault MakeFault(const std::string& method, const std::string& path, int status,
                int count = 1) {
  Fault fault;
  fault.method = method;
  fault.path = std::regex(path);
  fault.status = status;
  fault.count = count;
  fault.message = "scripted";
  return fault;
}

TEST(FaultPlanTest, FailsTheNextCountMatchingRequests) {
  FaultPlan plan;
  plan.Add(MakeFault("POST", "/jobs/.*", 503, /*count=*/2));
  EXPECT_FALSE(plan.Take("GET", "/jobs/a").has_value());   // other method
  EXPECT_FALSE(plan.Take("POST", "/pods/a").has_value());  // other path
  // The whole path must match, not a part of it.
  EXPECT_FALSE(plan.Take("POST", "/x/jobs/a").has_value());
  std::optional<Fault> first = plan.Take("POST", "/jobs/a");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 503);
  EXPECT_EQ(first->message, "scripted");
  EXPECT_TRUE(plan.Take("POST", "/jobs/b").has_value());
  EXPECT_FALSE(plan.Take("POST", "/jobs/c").has_value());  // used up
}

TEST(FaultPlanTest, AnEmptyMethodMatchesAnyAndTheFirstAddedWins) {
  FaultPlan plan;
  plan.Add(MakeFault("", ".*", 500));
  plan.Add(MakeFault("GET", ".*", 429));
  EXPECT_EQ(plan.Take("GET", "/a")->status, 500);
  EXPECT_EQ(plan.Take("GET", "/a")->status, 429);
  EXPECT_FALSE(plan.Take("GET", "/a").has_value());
}

TEST(FaultPlanTest, ACountBelowOneFailsOneRequest) {
  FaultPlan plan;
  plan.Add(MakeFault("", ".*", 500, /*count=*/0));
  EXPECT_TRUE(plan.Take("GET", "/").has_value());
  EXPECT_FALSE(plan.Take("GET", "/").has_value());
}

TEST(FaultPlanTest, ClearDropsEveryFault) {
  FaultPlan plan;
  plan.Add(MakeFault("", ".*", 500, /*count=*/5));
  plan.Clear();
  EXPECT_FALSE(plan.Take("GET", "/").has_value());
}

TEST(FaultPlanTest, InjectReturnsOnlyFaultsThatFailTheRequest) {
  FaultPlan plan;
  Fault delay_only = MakeFault("", ".*", 0);
  delay_only.delay_ms = 1;
  plan.Add(delay_only);
  plan.Add(MakeFault("", ".*", 504));
  // The delay-only fault is used up without failing the request.
  EXPECT_FALSE(plan.Inject("GET", "/").has_value());
  std::optional<Fault> failing = plan.Inject("GET", "/");
  ASSERT_TRUE(failing.has_value());
  EXPECT_EQ(failing->status, 504);
  EXPECT_FALSE(plan.Inject("GET", "/").has_value());
}

TEST(RequestLogTest, KeepsEntriesInOrderUntilCleared) {
  RequestLog log;
  EXPECT_EQ(log.Entries(), nlohmann::json::array());
  log.Record({{"path", "/a"}});
  log.Record({{"path", "/b"}});
  EXPECT_EQ(log.Entries(),
            nlohmann::json::parse(R"([{"path":"/a"},{"path":"/b"}])"));
  log.Clear();
  EXPECT_EQ(log.Entries(), nlohmann::json::array());
}

}  // namespace
}  // namespace tao::fakes
