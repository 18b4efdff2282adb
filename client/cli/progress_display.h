// Shows the events of a WaitReady stream to a person (`wait`, `start
// --wait`): one line per event on `out`, except image-pull byte counts
// (PHASE_PULLING with bytes_total > 0), which would otherwise print a line
// a few times a second. On a terminal stderr those are one progress bar
// redrawn in place on stderr. Elsewhere they are plain lines on `out` with
// the bytes appended; an update of only the bytes (same state, phase,
// reason and message as the event before) is printed only when it reaches
// a new 10% step, so logs stay short.
//
// Not thread-safe; one display per stream.
#ifndef TAO_CLIENT_CLI_PROGRESS_DISPLAY_H_
#define TAO_CLIENT_CLI_PROGRESS_DISPLAY_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "tao/inference/v1/inference_service.pb.h"

namespace tao::cli {

// "512.0 MiB" (binary units; whole bytes below 1 KiB: "512 B").
std::string FormatBytes(int64_t bytes);

// Whole percent of `done` in `total` (> 0), rounded down and kept in
// [0, 100], so 100 means all of it.
int PullPercent(int64_t done, int64_t total);

// The bar drawn for a pull: "pulling  [#####---------------]  25%  256.0
// MiB / 1.0 GiB" (`total` > 0; under 80 columns for any size).
std::string FormatPullBar(int64_t done, int64_t total);

class WaitProgressDisplay {
 public:
  // `err_is_tty`: stderr is a terminal, so a bar may be redrawn there.
  WaitProgressDisplay(std::ostream& out, std::ostream& err, bool err_is_tty)
      : out_(out), err_(err), err_is_tty_(err_is_tty) {}
  ~WaitProgressDisplay() { Finish(); }
  WaitProgressDisplay(const WaitProgressDisplay&) = delete;
  WaitProgressDisplay& operator=(const WaitProgressDisplay&) = delete;

  void Show(const tao::inference::v1::WaitReadyEvent& event);

  // Ends the bar's line (with '\n') if one is drawn; call it when the
  // stream ends, before anything else is written to the terminal.
  void Finish();

 private:
  void DrawBar(const tao::inference::v1::WaitReadyEvent& event);
  void PrintStepped(const tao::inference::v1::WaitReadyEvent& event);

  std::ostream& out_;
  std::ostream& err_;
  const bool err_is_tty_;
  // Terminal: a bar is on the current stderr line, this many columns wide.
  bool bar_drawn_ = false;
  size_t bar_width_ = 0;
  // Elsewhere: the highest 10% step printed in this run of pull events
  // (-1: none yet).
  int printed_step_ = -1;
  // The event shown before, to tell news from a bytes-only update.
  tao::inference::v1::WaitReadyEvent last_;
  bool has_last_ = false;
};

}  // namespace tao::cli

#endif  // TAO_CLIENT_CLI_PROGRESS_DISPLAY_H_
