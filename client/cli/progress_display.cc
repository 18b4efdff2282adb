#include "client/cli/progress_display.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/human_output.h"

namespace tao::cli {
namespace {

using tao::inference::v1::WaitReadyEvent;

constexpr int kBarCells = 20;
constexpr int kPercentPerStep = 10;

bool IsPullBytes(const WaitReadyEvent& event) {
  return event.phase() == tao::inference::v1::PHASE_PULLING &&
         event.bytes_total() > 0;
}

// Whether `b` tells nothing `a` did not, but for the bytes.
bool SameNews(const WaitReadyEvent& a, const WaitReadyEvent& b) {
  return a.state() == b.state() && a.phase() == b.phase() &&
         a.reason() == b.reason() && a.message() == b.message();
}

// "48%  512.0 MiB / 1.0 GiB".
std::string PullAmount(int64_t done, int64_t total) {
  return absl::StrFormat("%3d%%  %s / %s", PullPercent(done, total),
                         FormatBytes(done), FormatBytes(total));
}

}  // namespace

std::string FormatBytes(int64_t bytes) {
  if (bytes < 1024) return absl::StrCat(std::max<int64_t>(bytes, 0), " B");
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  // Switch units before "1024.0" would be printed.
  while (value >= 1023.95 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return absl::StrFormat("%.1f %s", value, kUnits[unit]);
}

int PullPercent(int64_t done, int64_t total) {
  if (total <= 0 || done <= 0) return 0;
  if (done >= total) return 100;
  // In double: done * 100 could overflow for absurd sizes.
  const double percent = static_cast<double>(done) * 100 / total;
  return std::min(99, static_cast<int>(percent));
}

std::string FormatPullBar(int64_t done, int64_t total) {
  const int filled = PullPercent(done, total) * kBarCells / 100;
  return absl::StrCat("pulling  [", std::string(filled, '#'),
                      std::string(kBarCells - filled, '-'), "] ",
                      PullAmount(done, total));
}

void WaitProgressDisplay::Show(const WaitReadyEvent& event) {
  if (event.phase() != tao::inference::v1::PHASE_PULLING) printed_step_ = -1;
  if (!IsPullBytes(event)) {
    Finish();
    out_ << FormatWaitEvent(event) << std::endl;
  } else if (err_is_tty_) {
    DrawBar(event);
  } else {
    PrintStepped(event);
  }
  last_ = event;
  has_last_ = true;
}

void WaitProgressDisplay::Finish() {
  if (!bar_drawn_) return;
  err_ << '\n' << std::flush;
  bar_drawn_ = false;
  bar_width_ = 0;
}

void WaitProgressDisplay::DrawBar(const WaitReadyEvent& event) {
  std::string line = FormatPullBar(event.bytes_done(), event.bytes_total());
  const size_t width = line.size();
  // Blank what a longer previous frame left on the line.
  if (width < bar_width_) line.append(bar_width_ - width, ' ');
  err_ << '\r' << line << std::flush;
  bar_drawn_ = true;
  bar_width_ = std::max(bar_width_, width);
}

void WaitProgressDisplay::PrintStepped(const WaitReadyEvent& event) {
  const int step =
      PullPercent(event.bytes_done(), event.bytes_total()) / kPercentPerStep;
  // A total that grows (new layers) lowers the percentage; stay quiet until
  // the next step above the highest one printed. News (a new message) is
  // printed as always.
  const bool bytes_only = has_last_ && SameNews(event, last_);
  if (bytes_only && step <= printed_step_) return;
  printed_step_ = std::max(printed_step_, step);
  out_ << FormatWaitEvent(event) << "  "
       << PullAmount(event.bytes_done(), event.bytes_total()) << std::endl;
}

}  // namespace tao::cli
