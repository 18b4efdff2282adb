#include "tests/fakes/reference_backend_knobs.h"

#include <string>

#include "gtest/gtest.h"

namespace tao::fakes {
namespace {

struct KnobCase {
  std::string model_path;
  absl::Duration init_time;
  absl::Duration load_time;
  bool fail_init;
  bool fail_load;
  int exit_during_load;
  bool status_shape;
  bool print_env;
};

void PrintTo(const KnobCase& c, std::ostream* os) { *os << c.model_path; }

class KnobsTest : public ::testing::TestWithParam<KnobCase> {};

TEST_P(KnobsTest, ParsesTokensAfterThePlus) {
  const KnobCase& c = GetParam();
  absl::StatusOr<Knobs> knobs = ParseKnobs(c.model_path);
  ASSERT_TRUE(knobs.ok()) << knobs.status();
  EXPECT_EQ(knobs->init_time, c.init_time);
  EXPECT_EQ(knobs->load_time, c.load_time);
  EXPECT_EQ(knobs->fail_init, c.fail_init);
  EXPECT_EQ(knobs->fail_load, c.fail_load);
  EXPECT_EQ(knobs->exit_during_load, c.exit_during_load);
  EXPECT_EQ(knobs->status_shape, c.status_shape);
  EXPECT_EQ(knobs->print_env, c.print_env);
}

const absl::Duration kZero = absl::ZeroDuration();

INSTANTIATE_TEST_SUITE_P(
    Table, KnobsTest,
    ::testing::Values(
        KnobCase{"hf_model://nvidia/test", kZero, kZero, false, false, -1,
                 false, false},
        KnobCase{"hf_model://nvidia/test+load-ms-300+fail-load", kZero,
                 absl::Milliseconds(300), false, true, -1, false, false},
        KnobCase{"/models/x+init-ms-20+fail-init+shape-status",
                 absl::Milliseconds(20), kZero, true, false, -1, true, false},
        KnobCase{"/models/x+exit-during-load-3+print-env", kZero, kZero, false,
                 false, 3, false, true},
        // The first token is the model's name, even if it looks like a knob.
        KnobCase{"fail-init", kZero, kZero, false, false, -1, false, false},
        // Unknown tokens are part of the name.
        KnobCase{"/models/a+b+load-ms-5", kZero, absl::Milliseconds(5), false,
                 false, -1, false, false}));

TEST(KnobsErrorTest, BadNumberIsRefused) {
  for (const char* path :
       {"/m+load-ms-x", "/m+init-ms-", "/m+exit-during-load--1"}) {
    absl::StatusOr<Knobs> knobs = ParseKnobs(path);
    EXPECT_EQ(knobs.status().code(), absl::StatusCode::kInvalidArgument)
        << path;
  }
}

}  // namespace
}  // namespace tao::fakes
