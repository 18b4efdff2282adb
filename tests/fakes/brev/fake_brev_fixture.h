// The fixture of the fake-brev process tests: a FakeBrevHome per test,
// brev runs with their results, and what `brev ls --json` says.
#ifndef TAO_TESTS_FAKES_BREV_FAKE_BREV_FIXTURE_H_
#define TAO_TESTS_FAKES_BREV_FAKE_BREV_FIXTURE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/fakes/brev/fake_brev_home.h"

namespace tao::fakes::brev {

inline FakeBrevHome::Options LoggedOut() {
  FakeBrevHome::Options options;
  options.logged_in = false;
  return options;
}

class FakeBrevTest : public ::testing::Test {
 protected:
  void SetUp() override { fake_ = Make({}); }

  static std::unique_ptr<FakeBrevHome> Make(
      const FakeBrevHome::Options& options) {
    auto fake = FakeBrevHome::Create(options);
    EXPECT_TRUE(fake.ok()) << fake.status();
    return fake.ok() ? *std::move(fake) : nullptr;
  }

  static ProcessResult Brev(const FakeBrevHome& fake,
                            const std::vector<std::string>& args,
                            std::optional<std::string> stdin_text = {}) {
    absl::StatusOr<ProcessResult> result = fake.Run(args, stdin_text);
    EXPECT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result.ok() && result->timed_out) << "brev timed out";
    return result.ok() ? *result : ProcessResult{};
  }
  ProcessResult Brev(const std::vector<std::string>& args,
                     std::optional<std::string> stdin_text = {}) {
    return Brev(*fake_, args, std::move(stdin_text));
  }

  nlohmann::ordered_json Ls() {
    ProcessResult ls = Brev({"ls", "--json"});
    EXPECT_EQ(ls.exit_code, 0) << ls.err;
    return nlohmann::ordered_json::parse(ls.out, nullptr, false);
  }

  // The instance's status in `ls --json`; "" when it is not listed.
  std::string StatusInLs(const std::string& name) {
    nlohmann::ordered_json ls = Ls();
    if (!ls["workspaces"].is_array()) return "";
    for (const auto& workspace : ls["workspaces"]) {
      if (workspace["name"] == name) return workspace["status"];
    }
    return "";
  }

  bool EventuallyStatus(const std::string& name, const std::string& status,
                        absl::Duration patience = absl::Seconds(10)) {
    const absl::Time give_up = absl::Now() + patience;
    while (absl::Now() < give_up) {
      if (StatusInLs(name) == status) return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return StatusInLs(name) == status;
  }

  std::unique_ptr<FakeBrevHome> fake_;
};

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_FAKE_BREV_FIXTURE_H_
