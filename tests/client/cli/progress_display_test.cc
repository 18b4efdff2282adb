// The WaitReady progress display: bar frames on a terminal stderr, 10%
// steps elsewhere, and every other event as the line `wait` always printed.
#include "client/cli/progress_display.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "client/cli/human_output.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tao::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace tao::inference::v1;  // NOLINT: test-only brevity

constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kGiB = 1024 * kMiB;

WaitReadyEvent Pull(int64_t done, int64_t total) {
  WaitReadyEvent event;
  event.set_state(SERVICE_STATE_PENDING);
  event.set_phase(PHASE_PULLING);
  event.set_reason("pulling");
  event.set_bytes_done(done);
  event.set_bytes_total(total);
  return event;
}

WaitReadyEvent Starting() {
  WaitReadyEvent event;
  event.set_state(SERVICE_STATE_PENDING);
  event.set_phase(PHASE_STARTING);
  event.set_reason("launching");
  event.set_message("creating container");
  event.mutable_elapsed()->set_seconds(4);
  return event;
}

struct Shown {
  std::string out;
  std::string err;
};

Shown Show(const std::vector<WaitReadyEvent>& events, bool err_is_tty) {
  std::ostringstream out;
  std::ostringstream err;
  {
    WaitProgressDisplay display(out, err, err_is_tty);
    for (const WaitReadyEvent& event : events) display.Show(event);
    display.Finish();
  }
  return {out.str(), err.str()};
}

// The lines of `text` without the final newline's empty piece.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(FormatBytesTest, BinaryUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(512 * kMiB), "512.0 MiB");
  EXPECT_EQ(FormatBytes(kGiB), "1.0 GiB");
  // Never "1024.0 MiB": the next unit takes over.
  EXPECT_EQ(FormatBytes(kGiB - 1), "1.0 GiB");
  EXPECT_EQ(FormatBytes(3 * 1024 * kGiB), "3.0 TiB");
}

TEST(PullPercentTest, RoundsDownAndReachesHundredOnlyWhenDone) {
  EXPECT_EQ(PullPercent(0, 100), 0);
  EXPECT_EQ(PullPercent(48, 100), 48);
  EXPECT_EQ(PullPercent(999, 1000), 99);
  EXPECT_EQ(PullPercent(kGiB - 1, kGiB), 99);
  EXPECT_EQ(PullPercent(kGiB, kGiB), 100);
  EXPECT_EQ(PullPercent(2 * kGiB, kGiB), 100);
}

TEST(FormatPullBarTest, FramesForGivenBytes) {
  EXPECT_EQ(FormatPullBar(0, kGiB),
            "pulling  [--------------------]   0%  0 B / 1.0 GiB");
  EXPECT_EQ(FormatPullBar(512 * kMiB, kGiB),
            "pulling  [##########----------]  50%  512.0 MiB / 1.0 GiB");
  EXPECT_EQ(FormatPullBar(kGiB / 4, kGiB),
            "pulling  [#####---------------]  25%  256.0 MiB / 1.0 GiB");
  EXPECT_EQ(FormatPullBar(kGiB, kGiB),
            "pulling  [####################] 100%  1.0 GiB / 1.0 GiB");
}

TEST(FormatPullBarTest, FitsEightyColumnsForAnySize) {
  for (int64_t total : {int64_t{1}, 1000 * kMiB, 1023 * kGiB,
                        int64_t{9'000'000'000'000'000'000}}) {
    EXPECT_LT(FormatPullBar(total - 1, total).size(), 80u) << total;
  }
}

TEST(WaitProgressDisplayTest, TerminalRedrawsOneBarLineOnStderr) {
  Shown shown = Show({Pull(0, kGiB), Pull(512 * kMiB, kGiB), Pull(kGiB, kGiB)},
                     /*err_is_tty=*/true);
  EXPECT_EQ(shown.err,
            "\rpulling  [--------------------]   0%  0 B / 1.0 GiB"
            "\rpulling  [##########----------]  50%  512.0 MiB / 1.0 GiB"
            // Blanks over what the longer "512.0 MiB" frame left.
            "\rpulling  [####################] 100%  1.0 GiB / 1.0 GiB  "
            "\n");
  // Nothing about the bytes on stdout (the terminal shows the bar).
  EXPECT_THAT(shown.out, IsEmpty());
}

TEST(WaitProgressDisplayTest, ShorterFrameBlanksWhatTheLongerOneLeft) {
  Shown shown = Show({Pull(1000 * kMiB, 1000 * kMiB + 1), Pull(kGiB, kGiB)},
                     /*err_is_tty=*/true);
  const std::vector<std::string> frames =
      absl::StrSplit(shown.err, '\r', absl::SkipEmpty());
  ASSERT_EQ(frames.size(), 2u);
  // Both frames are as wide (plus the final newline on the last).
  EXPECT_EQ(frames[0].size() + 1, frames[1].size()) << shown.err;
  EXPECT_THAT(frames[1], HasSubstr("1.0 GiB / 1.0 GiB      \n"));
}

TEST(WaitProgressDisplayTest, PhaseChangeEndsTheBarLineBeforeTheNextLine) {
  WaitReadyEvent starting = Starting();
  Shown shown = Show({Pull(kGiB / 2, kGiB), Pull(kGiB, kGiB), starting},
                     /*err_is_tty=*/true);
  EXPECT_EQ(shown.err,
            "\rpulling  [##########----------]  50%  512.0 MiB / 1.0 GiB"
            "\rpulling  [####################] 100%  1.0 GiB / 1.0 GiB  \n");
  EXPECT_EQ(shown.out, FormatWaitEvent(starting) + "\n");
}

TEST(WaitProgressDisplayTest, StreamEndEndsTheBarLineOnce) {
  std::ostringstream out;
  std::ostringstream err;
  {
    WaitProgressDisplay display(out, err, /*err_is_tty=*/true);
    display.Show(Pull(kGiB / 2, kGiB));
    display.Finish();
    display.Finish();  // and again from the destructor: nothing more
  }
  EXPECT_EQ(err.str(),
            "\rpulling  [##########----------]  50%  512.0 MiB / 1.0 GiB\n");
}

TEST(WaitProgressDisplayTest, ZeroTotalIsAPlainLineNotABar) {
  WaitReadyEvent unsized = Pull(0, 0);
  unsized.set_message("pulling image x:1");
  for (bool tty : {true, false}) {
    Shown shown = Show({unsized}, tty);
    EXPECT_THAT(shown.err, IsEmpty()) << tty;
    EXPECT_EQ(shown.out, FormatWaitEvent(unsized) + "\n") << tty;
    EXPECT_THAT(shown.out, Not(HasSubstr("%")));
  }
}

TEST(WaitProgressDisplayTest, TerminalBarFollowsAGrowingTotal) {
  Shown shown = Show(
      {Pull(100 * kMiB, 200 * kMiB), Pull(150 * kMiB, kGiB), Pull(kGiB, kGiB)},
      /*err_is_tty=*/true);
  const std::vector<std::string> frames =
      absl::StrSplit(shown.err, '\r', absl::SkipEmpty());
  ASSERT_EQ(frames.size(), 3u) << shown.err;
  EXPECT_THAT(frames[0], HasSubstr(" 50%  100.0 MiB / 200.0 MiB"));
  EXPECT_THAT(frames[1], HasSubstr(" 14%  150.0 MiB / 1.0 GiB"));
  EXPECT_THAT(frames[2], HasSubstr("100%  1.0 GiB / 1.0 GiB"));
}

TEST(WaitProgressDisplayTest, NonTerminalPrintsOneLinePerTenPercentStep) {
  std::vector<WaitReadyEvent> events;
  // 1% at a time: 101 updates.
  for (int percent = 0; percent <= 100; ++percent) {
    events.push_back(Pull(percent * kMiB, 100 * kMiB));
  }
  Shown shown = Show(events, /*err_is_tty=*/false);
  EXPECT_THAT(shown.err, IsEmpty());
  EXPECT_THAT(shown.out, Not(HasSubstr("\r")));
  const std::vector<std::string> lines = Lines(shown.out);
  ASSERT_EQ(lines.size(), 11u) << shown.out;
  for (int step = 0; step <= 10; ++step) {
    EXPECT_EQ(lines[step],
              absl::StrFormat("%s  %3d%%  %s / 100.0 MiB",
                              FormatWaitEvent(events[step * 10]), step * 10,
                              FormatBytes(step * 10 * kMiB)));
  }
}

TEST(WaitProgressDisplayTest, NonTerminalStaysQuietWhenAGrowingTotalDrops) {
  Shown shown = Show({Pull(30 * kMiB, 100 * kMiB),    // 30%: printed
                      Pull(35 * kMiB, 200 * kMiB),    // 17%: below, quiet
                      Pull(70 * kMiB, 200 * kMiB),    // 35%: same step, quiet
                      Pull(90 * kMiB, 200 * kMiB),    // 45%: printed
                      Pull(200 * kMiB, 200 * kMiB)},  // 100%: printed
                     /*err_is_tty=*/false);
  const std::vector<std::string> lines = Lines(shown.out);
  ASSERT_EQ(lines.size(), 3u) << shown.out;
  EXPECT_THAT(lines[0], HasSubstr(" 30%  30.0 MiB / 100.0 MiB"));
  EXPECT_THAT(lines[1], HasSubstr(" 45%  90.0 MiB / 200.0 MiB"));
  EXPECT_THAT(lines[2], HasSubstr("100%  200.0 MiB / 200.0 MiB"));
}

TEST(WaitProgressDisplayTest, NonTerminalPrintsNewsWhateverTheStep) {
  WaitReadyEvent first = Pull(20 * kMiB, 100 * kMiB);
  first.set_message("downloaded 20.0 MiB of 100.0 MiB so far (20%)");
  WaitReadyEvent layer_done = Pull(25 * kMiB, 100 * kMiB);  // same step
  layer_done.set_message("layer a1 done (1 of 2 layers)");
  WaitReadyEvent more = layer_done;  // bytes only, same step: quiet
  more.set_bytes_done(29 * kMiB);
  WaitReadyEvent next_step = layer_done;  // bytes only, next step
  next_step.set_bytes_done(30 * kMiB);
  Shown shown =
      Show({first, layer_done, more, next_step}, /*err_is_tty=*/false);
  EXPECT_THAT(Lines(shown.out),
              ElementsAre(HasSubstr("(20%)   20%  20.0 MiB / 100.0 MiB"),
                          HasSubstr("layers)   25%  25.0 MiB / 100.0 MiB"),
                          HasSubstr("layers)   30%  30.0 MiB / 100.0 MiB")));
}

TEST(WaitProgressDisplayTest, NonTerminalStartsOverAfterAnotherPhase) {
  Shown shown = Show({Pull(kGiB, kGiB), Starting(), Pull(kGiB / 2, kGiB)},
                     /*err_is_tty=*/false);
  EXPECT_THAT(Lines(shown.out),
              ElementsAre(HasSubstr("100%"), FormatWaitEvent(Starting()),
                          HasSubstr(" 50%")));
}

TEST(WaitProgressDisplayTest, OtherEventsPrintAsBefore) {
  WaitReadyEvent loading;
  loading.set_state(SERVICE_STATE_LOADING);
  loading.set_phase(PHASE_LOADING);
  loading.set_reason("model_loading");
  for (bool tty : {true, false}) {
    Shown shown = Show({Starting(), loading}, tty);
    EXPECT_EQ(shown.out, FormatWaitEvent(Starting()) + "\n" +
                             FormatWaitEvent(loading) + "\n");
    EXPECT_THAT(shown.err, IsEmpty());
  }
}

}  // namespace
}  // namespace tao::cli
