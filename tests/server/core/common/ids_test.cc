// Job ids are RFC 4122 version-4 UUIDs; timestamps are Python's isoformat()
// of a UTC time, always with microseconds so that they sort by time.
#include "server/core/common/ids.h"

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace tao::core {
namespace {

// Lower-case hex, version nibble 4, variant bits 10 (8, 9, a or b).
const std::regex& UuidV4Pattern() {
  static const std::regex* pattern = new std::regex(
      "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  return *pattern;
}

TEST(NewJobIdTest, IsLowerCaseVersion4Uuid) {
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewJobId();
    ASSERT_EQ(id.size(), 36u) << id;
    ASSERT_TRUE(std::regex_match(id, UuidV4Pattern())) << id;
  }
}

TEST(NewJobIdTest, UniqueOverManyCalls) {
  std::set<std::string> seen;
  constexpr int kCount = 100000;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(seen.insert(NewJobId()).second) << "duplicate after " << i;
  }
}

TEST(NewJobIdTest, RandomBitsVaryInEveryGroup) {
  // A formatting slip (e.g. a group always zero) would show up as one value.
  std::vector<std::set<std::string>> groups(5);
  for (int i = 0; i < 200; ++i) {
    const std::string id = NewJobId();
    groups[0].insert(id.substr(0, 8));
    groups[1].insert(id.substr(9, 4));
    groups[2].insert(id.substr(15, 3));  // after the version nibble
    groups[3].insert(id.substr(20, 3));  // after the variant nibble
    groups[4].insert(id.substr(24, 12));
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    EXPECT_GT(groups[g].size(), 100u) << "group " << g;
  }
}

TEST(NewJobIdTest, UniqueAcrossThreads) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < kPerThread; ++i) ids[t].push_back(NewJobId());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& list : ids) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
}

absl::Time At(absl::CivilSecond civil, int micros) {
  return absl::FromCivil(civil, absl::UTCTimeZone()) +
         absl::Microseconds(micros);
}

TEST(IsoTimestampTest, Formats) {
  struct Case {
    absl::Time time;
    std::string want;
  };
  const Case cases[] = {
      {At(absl::CivilSecond(2026, 5, 3, 23, 30, 0), 123456),
       "2026-05-03T23:30:00.123456+00:00"},
      {At(absl::CivilSecond(2026, 5, 3, 23, 30, 0), 0),
       "2026-05-03T23:30:00.000000+00:00"},
      {At(absl::CivilSecond(1999, 12, 31, 1, 2, 3), 7),
       "1999-12-31T01:02:03.000007+00:00"},
      {absl::UnixEpoch(), "1970-01-01T00:00:00.000000+00:00"},
      // Sub-microsecond parts are cut, not rounded up into the next second.
      {At(absl::CivilSecond(2026, 1, 1, 0, 0, 59), 999999) +
           absl::Nanoseconds(999),
       "2026-01-01T00:00:59.999999+00:00"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsoTimestamp(c.time), c.want);
  }
}

TEST(IsoTimestampTest, StringOrderIsTimeOrder) {
  const absl::Time base = At(absl::CivilSecond(2026, 5, 3, 23, 59, 59), 0);
  const absl::Duration steps[] = {
      absl::ZeroDuration(),  absl::Microseconds(1), absl::Microseconds(10),
      absl::Milliseconds(1), absl::Seconds(1),      absl::Hours(1),
      absl::Hours(24 * 40),  absl::Hours(24 * 400)};
  std::string previous;
  for (absl::Duration step : steps) {
    std::string current = IsoTimestamp(base + step);
    if (!previous.empty()) {
      EXPECT_LT(previous, current);
    }
    previous = current;
  }
}

}  // namespace
}  // namespace tao::core
