// RegistryState: the spec §2 document, Put/Update/Remove and the original's
// rule for reassigning `latest`.
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/registry/registry.h"

namespace tao::registry {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using OrderedJson = nlohmann::ordered_json;

// The example of spec §2 with a real UUID, compact as written there.
constexpr char kSpecExample[] =
    R"({"latest":"afacee21-2666-481d-b008-c83df2d6fd7f",)"
    R"("afacee21-2666-481d-b008-c83df2d6fd7f":{)"
    R"("job_id":"afacee21-2666-481d-b008-c83df2d6fd7f",)"
    R"("platform":"local-docker","network_arch":"cosmos-rl",)"
    R"("host_url":"http://localhost:8080",)"
    R"("docker_url":"http://afacee21-2666-481d-b008-c83df2d6fd7f:8080",)"
    R"("host_port":8080,"started_at":"2026-05-03T23:30:00Z"}})";

ServiceEntry Entry(const std::string& job_id, const std::string& started_at) {
  ServiceEntry e;
  e.job_id = job_id;
  e.platform = "local-docker";
  e.network_arch = "cosmos-rl";
  e.host_url = "http://localhost:8080";
  e.started_at = started_at;
  return e;
}

std::vector<std::string> TopLevelKeys(const OrderedJson& json) {
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  return keys;
}

TEST(RegistryStateTest, SpecExampleRoundTripsByteForByte) {
  auto state = RegistryState::FromJson(OrderedJson::parse(kSpecExample));
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_EQ(state->entries().size(), 1u);
  const ServiceEntry* e = state->Find("afacee21-2666-481d-b008-c83df2d6fd7f");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->platform, "local-docker");
  EXPECT_EQ(e->host_port, 8080);
  EXPECT_EQ(e->docker_url, "http://afacee21-2666-481d-b008-c83df2d6fd7f:8080");
  EXPECT_EQ(state->latest(), "afacee21-2666-481d-b008-c83df2d6fd7f");

  const std::string written = state->ToJson().dump();
  EXPECT_EQ(written, kSpecExample);
  auto reparsed = RegistryState::FromJson(OrderedJson::parse(written));
  ASSERT_TRUE(reparsed.ok()) << reparsed.status();
  EXPECT_EQ(reparsed->entries(), state->entries());
  EXPECT_EQ(reparsed->latest(), state->latest());
}

TEST(RegistryStateTest, UnknownKeysAtBothLevelsSurviveARewrite) {
  const std::string text =
      R"({"a":{"job_id":"a","platform":"brev","network_arch":"cosmos-rl",)"
      R"("host_url":"http://h:1","started_at":"1","tool":{"v":2}},)"
      R"("schema_version":3,"notes":["x"],"latest":"a"})";
  auto state = RegistryState::FromJson(OrderedJson::parse(text));
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->entries().at("a").extra,
            OrderedJson::parse(R"({"tool":{"v":2}})"));
  OrderedJson out = state->ToJson();
  EXPECT_EQ(nlohmann::json(out), nlohmann::json::parse(text));
  // "latest" first, entries, then unknown keys in their original order.
  EXPECT_THAT(TopLevelKeys(out),
              ElementsAre("latest", "a", "schema_version", "notes"));
}

TEST(RegistryStateTest, EntryWithoutJobIdTakesItsKey) {
  auto state = RegistryState::FromJson(
      OrderedJson::parse(R"({"k1":{"platform":"brev"}})"));
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_NE(state->Find("k1"), nullptr);
  EXPECT_EQ(state->Find("k1")->job_id, "k1");
  EXPECT_EQ(state->ToJson().at("k1").at("job_id"), "k1");
}

// The original schema has these keys in every entry and Python readers index
// them directly (e["network_arch"]), so a rewrite supplies them.
TEST(RegistryStateTest, RewriteSuppliesTheKeysEveryEntryHas) {
  auto state = RegistryState::FromJson(
      OrderedJson::parse(R"({"k1":{"job_id":"k1","extra":1}})"));
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->ToJson().dump(),
            R"({"k1":{"job_id":"k1","platform":"","network_arch":"",)"
            R"("host_url":"","started_at":"","extra":1}})");
}

TEST(RegistryStateTest, EntryWhoseJobIdDiffersFromItsKeyIsRejected) {
  auto state =
      RegistryState::FromJson(OrderedJson::parse(R"({"k1":{"job_id":"k2"}})"));
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(state.status().message(), HasSubstr("\"k1\""));
  EXPECT_THAT(state.status().message(), HasSubstr("\"k2\""));
}

TEST(RegistryStateTest, EntryTypeErrorNamesTheKeyAndTheEntry) {
  auto state = RegistryState::FromJson(
      OrderedJson::parse(R"({"k1":{"host_port":"8080"}})"));
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(state.status().message(), HasSubstr("\"k1\""));
  EXPECT_THAT(state.status().message(), HasSubstr("\"host_port\""));
}

TEST(RegistryStateTest, LatestMustBeAString) {
  auto state = RegistryState::FromJson(OrderedJson::parse(R"({"latest":1})"));
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(state.status().message(), HasSubstr("\"latest\""));

  auto null_latest =
      RegistryState::FromJson(OrderedJson::parse(R"({"latest":null})"));
  ASSERT_TRUE(null_latest.ok()) << null_latest.status();
  EXPECT_FALSE(null_latest->latest().has_value());
}

TEST(RegistryStateTest, DocumentMustBeAnObject) {
  for (const char* text : {"[]", "\"x\"", "null", "3"}) {
    auto state = RegistryState::FromJson(OrderedJson::parse(text));
    ASSERT_FALSE(state.ok()) << text;
    EXPECT_EQ(state.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(RegistryStateTest, DanglingLatestIsKept) {
  auto state =
      RegistryState::FromJson(OrderedJson::parse(R"({"latest":"gone"})"));
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->latest(), "gone");
  EXPECT_EQ(state->ToJson().dump(), R"({"latest":"gone"})");
}

TEST(RegistryStateTest, EmptyStateWritesAnEmptyObject) {
  EXPECT_EQ(RegistryState().ToJson().dump(), "{}");
}

TEST(RegistryStateTest, EntriesAreWrittenOldestFirst) {
  RegistryState state;
  state.Put(Entry("c", "2026-01-01T00:00:00+00:00"));
  state.Put(Entry("a", "2026-03-01T00:00:00+00:00"));
  state.Put(Entry("b", "2026-01-01T00:00:00+00:00"));
  EXPECT_THAT(TopLevelKeys(state.ToJson()),
              ElementsAre("latest", "b", "c", "a"));
}

TEST(RegistryStateTest, PutAddsOrReplacesAndBecomesLatest) {
  RegistryState state;
  state.Put(Entry("a", "1"));
  state.Put(Entry("b", "2"));
  EXPECT_EQ(state.latest(), "b");
  ServiceEntry again = Entry("a", "3");
  again.state = "READY";
  state.Put(again);
  EXPECT_EQ(state.latest(), "a");
  ASSERT_EQ(state.entries().size(), 2u);
  EXPECT_EQ(state.Find("a")->state, "READY");
}

TEST(RegistryStateTest, PutReplacesAnUnknownValueOfTheSameKey) {
  auto state = RegistryState::FromJson(OrderedJson::parse(R"({"a":7})"));
  ASSERT_TRUE(state.ok()) << state.status();
  state->Put(Entry("a", "1"));
  EXPECT_TRUE(state->ToJson().at("a").is_object());
}

TEST(RegistryStateTest, UpdateKeepsLatestAndNeedsAnExistingEntry) {
  RegistryState state;
  state.Put(Entry("a", "1"));
  state.Put(Entry("b", "2"));
  ServiceEntry a = Entry("a", "1");
  a.state = "READY";
  ASSERT_TRUE(state.Update(a).ok());
  EXPECT_EQ(state.Find("a")->state, "READY");
  EXPECT_EQ(state.latest(), "b");

  absl::Status missing = state.Update(Entry("zz", "3"));
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr("zz"));
  EXPECT_EQ(state.Find("zz"), nullptr);
}

struct RemoveCase {
  std::string name;
  std::vector<std::pair<std::string, std::string>> entries;  // id, started_at
  std::optional<std::string> latest;
  std::string remove;
  bool removed;
  std::optional<std::string> expected_latest;
};

class RemoveLatestTest : public ::testing::TestWithParam<RemoveCase> {};

TEST_P(RemoveLatestTest, ReassignsLatestLikeTheOriginal) {
  const RemoveCase& c = GetParam();
  OrderedJson doc = OrderedJson::object();
  if (c.latest) doc["latest"] = *c.latest;
  for (const auto& [id, started_at] : c.entries) {
    doc[id] = {{"job_id", id}, {"started_at", started_at}};
  }
  auto state = RegistryState::FromJson(doc);
  ASSERT_TRUE(state.ok()) << state.status();

  std::optional<ServiceEntry> removed = state->Remove(c.remove);
  EXPECT_EQ(removed.has_value(), c.removed);
  if (removed) {
    EXPECT_EQ(removed->job_id, c.remove);
  }
  EXPECT_EQ(state->Find(c.remove), nullptr);
  EXPECT_EQ(state->latest(), c.expected_latest);
  EXPECT_EQ(state->ToJson().contains("latest"), c.expected_latest.has_value());
}

INSTANTIATE_TEST_SUITE_P(
    Table, RemoveLatestTest,
    ::testing::Values(
        RemoveCase{"LatestGoesToNewestRemaining",
                   {{"a", "2026-05-01T10:00:00+00:00"},
                    {"b", "2026-05-03T10:00:00+00:00"},
                    {"c", "2026-05-02T10:00:00+00:00"}},
                   "b",
                   "b",
                   true,
                   "c"},
        RemoveCase{"NonLatestLeavesLatestAlone",
                   {{"a", "2026-05-01T10:00:00+00:00"},
                    {"b", "2026-05-03T10:00:00+00:00"}},
                   "a",
                   "b",
                   true,
                   "a"},
        RemoveCase{"LastEntryRemovesLatest",
                   {{"a", "2026-05-01T10:00:00+00:00"}},
                   "a",
                   "a",
                   true,
                   std::nullopt},
        RemoveCase{"TiesGoToSmallestJobId",
                   {{"x", "2026-05-01T10:00:00+00:00"},
                    {"m", "2026-05-02T10:00:00+00:00"},
                    {"k", "2026-05-02T10:00:00+00:00"},
                    {"z", "2026-05-02T10:00:00+00:00"}},
                   "x",
                   "x",
                   true,
                   "k"},
        // String comparison as in Python: 'Z' (0x5A) sorts after '+'.
        RemoveCase{"ZuluSortsAfterOffsetForTheSameSecond",
                   {{"gone", "2026-05-09T00:00:00Z"},
                    {"offset", "2026-05-03T23:30:00+00:00"},
                    {"zulu", "2026-05-03T23:30:00Z"}},
                   "gone",
                   "gone",
                   true,
                   "zulu"},
        RemoveCase{"FractionalSecondsSortAfterWholeSeconds",
                   {{"gone", "2026-05-09T00:00:00+00:00"},
                    {"whole", "2026-05-03T23:30:00+00:00"},
                    {"frac", "2026-05-03T23:30:00.5+00:00"}},
                   "gone",
                   "gone",
                   true,
                   "frac"},
        RemoveCase{"MissingStartedAtLosesToAnyTimestamp",
                   {{"gone", "2026-05-09T00:00:00+00:00"},
                    {"blank", ""},
                    {"dated", "2000-01-01T00:00:00+00:00"}},
                   "gone",
                   "gone",
                   true,
                   "dated"},
        RemoveCase{"AbsentEntryChangesNothing",
                   {{"a", "2026-05-01T10:00:00+00:00"}},
                   "a",
                   "nope",
                   false,
                   "a"},
        RemoveCase{"NoLatestStaysWithoutLatest",
                   {{"a", "1"}, {"b", "2"}},
                   std::nullopt,
                   "a",
                   true,
                   std::nullopt},
        RemoveCase{"DanglingLatestIsLeftAlone",
                   {{"a", "1"}, {"b", "2"}},
                   "ghost",
                   "b",
                   true,
                   "ghost"}),
    [](const ::testing::TestParamInfo<RemoveCase>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace tao::registry
