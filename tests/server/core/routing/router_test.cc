// Route(): the rules of router.h / seed §6.0, every branch, with the
// candidates a client prompts its user with.
#include "server/core/routing/router.h"

#include <ostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/common/errors.h"

namespace tao::routing {
namespace {

using registry::RegistryState;
using registry::ServiceEntry;
using ::testing::HasSubstr;

struct EntrySpec {
  std::string job_id;
  std::string network_arch;
  std::string started_at;
};

// Entries are Put in the given order, so the last one becomes `latest`.
RegistryState MakeState(const std::vector<EntrySpec>& specs) {
  RegistryState state;
  for (const EntrySpec& spec : specs) {
    ServiceEntry entry;
    entry.job_id = spec.job_id;
    entry.platform = "local-docker";
    entry.network_arch = spec.network_arch;
    entry.host_url = "http://localhost:" + spec.job_id;
    entry.started_at = spec.started_at;
    state.Put(entry);
  }
  return state;
}

// a is the oldest and, being Put last, `latest`: a router that fell back on
// `latest` would pick it. c is the only cosmos-predict2.5.
const std::vector<EntrySpec> kThree = {
    {"b", "cosmos-rl", "2026-05-03T12:00:00Z"},
    {"c", "cosmos-predict2.5", "2026-05-03T11:00:00Z"},
    {"a", "cosmos-rl", "2026-05-03T10:00:00Z"},
};

struct RouteCase {
  std::string name;
  std::vector<EntrySpec> entries;
  Target target;
  absl::StatusCode code;
  std::string routed_job_id;            // when OK
  inference::v1::ErrorReason reason;    // when not OK
  std::vector<std::string> candidates;  // job ids, in order
  std::vector<std::string> message_has;
  friend void PrintTo(const RouteCase& c, std::ostream* os) { *os << c.name; }
};

RouteCase Routed(std::string name, std::vector<EntrySpec> entries,
                 Target target, std::string job_id) {
  return {std::move(name),
          std::move(entries),
          std::move(target),
          absl::StatusCode::kOk,
          std::move(job_id),
          inference::v1::ERROR_REASON_UNSPECIFIED,
          {},
          {}};
}

class RouteTest : public ::testing::TestWithParam<RouteCase> {};

TEST_P(RouteTest, FollowsTheRules) {
  const RouteCase& c = GetParam();
  RegistryState state = MakeState(c.entries);
  absl::StatusOr<ServiceEntry> routed = Route(state, c.target);
  ASSERT_EQ(routed.status().code(), c.code) << routed.status();
  if (routed.ok()) {
    EXPECT_EQ(routed->job_id, c.routed_job_id);
    EXPECT_EQ(routed->host_url, "http://localhost:" + c.routed_job_id);
    return;
  }
  for (const std::string& text : c.message_has) {
    EXPECT_THAT(routed.status().message(), HasSubstr(text));
  }
  auto details = core::GetDetails(routed.status());
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->reason_code(), c.reason);
  std::vector<std::string> candidate_ids;
  for (const auto& candidate : details->candidates()) {
    candidate_ids.push_back(candidate.job_id());
  }
  EXPECT_EQ(candidate_ids, c.candidates);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RouteTest,
    ::testing::Values(
        Routed("JobIdFound", kThree, {"c", ""}, "c"),
        Routed("JobIdWinsOverArch", kThree, {"a", "cosmos-predict2.5"}, "a"),
        RouteCase{"JobIdNotFound",
                  kThree,
                  {"zzz", ""},
                  absl::StatusCode::kNotFound,
                  "",
                  inference::v1::ERROR_REASON_NO_SERVICE,
                  {"a", "c", "b"},
                  {"no service with job_id zzz", "running: a (cosmos-rl",
                   "pass one of these job ids"}},
        RouteCase{"JobIdNotFoundNothingRuns",
                  {},
                  {"zzz", ""},
                  absl::StatusCode::kNotFound,
                  "",
                  inference::v1::ERROR_REASON_NO_SERVICE,
                  {},
                  {"no service with job_id zzz", "no service is running",
                   "tao-infer start"}},
        RouteCase{"JobIdLatestIsNotAnAlias",
                  kThree,
                  {"latest", ""},
                  absl::StatusCode::kNotFound,
                  "",
                  inference::v1::ERROR_REASON_NO_SERVICE,
                  {"a", "c", "b"},
                  {"\"latest\" is not a job id"}},
        Routed("ArchOneMatch", kThree, {"", "cosmos-predict2.5"}, "c"),
        RouteCase{"ArchSeveralMatchesAreAmbiguousEvenWithLatest",
                  kThree,
                  {"", "cosmos-rl"},
                  absl::StatusCode::kFailedPrecondition,
                  "",
                  inference::v1::ERROR_REASON_AMBIGUOUS_TARGET,
                  {"a", "b"},
                  {"2 services run cosmos-rl",
                   "a (cosmos-rl, started 2026-05-03T10:00:00Z)",
                   "b (cosmos-rl, started 2026-05-03T12:00:00Z)",
                   "pass job_id to choose one"}},
        RouteCase{
            "ArchNoMatch",
            kThree,
            {"", "tao-dataservices"},
            absl::StatusCode::kNotFound,
            "",
            inference::v1::ERROR_REASON_NO_SERVICE,
            {"a", "c", "b"},
            {"no service runs network_arch tao-dataservices", "running: a"}},
        RouteCase{"ArchNothingRuns",
                  {},
                  {"", "cosmos-rl"},
                  absl::StatusCode::kNotFound,
                  "",
                  inference::v1::ERROR_REASON_NO_SERVICE,
                  {},
                  {"no service runs network_arch cosmos-rl",
                   "no service is running", "tao-infer start"}},
        Routed("ImplicitOnlyService",
               {{"only", "cosmos-rl", "2026-05-03T10:00:00Z"}}, {"", ""},
               "only"),
        RouteCase{"ImplicitSeveralNeverPicksLatest",
                  kThree,
                  {"", ""},
                  absl::StatusCode::kFailedPrecondition,
                  "",
                  inference::v1::ERROR_REASON_AMBIGUOUS_TARGET,
                  {"a", "c", "b"},
                  {"3 services are running", "pass job_id",
                   "`latest` is never used"}},
        RouteCase{"ImplicitNothingRuns",
                  {},
                  {"", ""},
                  absl::StatusCode::kNotFound,
                  "",
                  inference::v1::ERROR_REASON_NO_SERVICE,
                  {},
                  {"no service is running", "tao-infer start"}},
        // Same started_at: job_id keeps the order stable.
        RouteCase{"TiesOrderedByJobId",
                  {{"y", "cosmos-rl", "2026-05-03T10:00:00Z"},
                   {"x", "cosmos-rl", "2026-05-03T10:00:00Z"}},
                  {"", ""},
                  absl::StatusCode::kFailedPrecondition,
                  "",
                  inference::v1::ERROR_REASON_AMBIGUOUS_TARGET,
                  {"x", "y"},
                  {"2 services"}}),
    [](const ::testing::TestParamInfo<RouteCase>& info) {
      return info.param.name;
    });

TEST(RouteCandidatesTest, CarryWhatAClientPromptsWith) {
  RegistryState state = MakeState(kThree);
  absl::StatusOr<ServiceEntry> routed = Route(state, {"", "cosmos-rl"});
  ASSERT_FALSE(routed.ok());
  auto details = core::GetDetails(routed.status());
  ASSERT_TRUE(details.has_value());
  ASSERT_EQ(details->candidates_size(), 2);
  const auto& oldest = details->candidates(0);
  EXPECT_EQ(oldest.job_id(), "a");
  EXPECT_EQ(oldest.network_arch(), "cosmos-rl");
  EXPECT_EQ(oldest.host_url(), "http://localhost:a");
  EXPECT_EQ(oldest.started_at(), "2026-05-03T10:00:00Z");
  EXPECT_EQ(oldest.platform(), "local-docker");
  // `latest` is shown to the user, but it decided nothing.
  EXPECT_TRUE(oldest.latest());
  EXPECT_FALSE(details->candidates(1).latest());
}

TEST(RouteCandidatesTest, LatestMarksTheRegistryPointer) {
  RegistryState state = MakeState(kThree);
  absl::StatusOr<ServiceEntry> routed = Route(state, {"", ""});
  ASSERT_FALSE(routed.ok());
  auto details = core::GetDetails(routed.status());
  ASSERT_TRUE(details.has_value());
  for (const auto& candidate : details->candidates()) {
    EXPECT_EQ(candidate.latest(), candidate.job_id() == "a")
        << candidate.job_id();
  }
}

}  // namespace
}  // namespace tao::routing
