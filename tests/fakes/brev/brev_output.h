// How brev talks: plain text on stdout, progress on stderr when stdout is
// piped (gpucreate's logf), and errors as errors.Cause(err) in yellow
// (validation) or red, uncoloured when stdout is not a terminal (fatih/color
// turns colour off then). Writes go straight to the descriptors, unbuffered,
// so that they interleave with the output of the ssh children in order.
#ifndef TAO_TESTS_FAKES_BREV_BREV_OUTPUT_H_
#define TAO_TESTS_FAKES_BREV_BREV_OUTPUT_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tao::fakes::brev {

class Output {
 public:
  // `errors_to_stdout`: FAKE_BREV_ERROR_STREAM=stdout (see PrintError).
  explicit Output(bool errors_to_stdout);

  bool stdout_piped() const { return stdout_piped_; }

  void Out(absl::string_view text) const;
  void Err(absl::string_view text) const;
  // Progress of create: stdout, or stderr when stdout is piped.
  void Progress(absl::string_view text) const;

  // The final error line (main.go -> DisplayAndHandleError). The reference
  // (brev-cli.md §0, @12d39b75) puts it on stderr. Unverified: the older
  // cmderrors.go in the public index prints it with fmt.Println, i.e. to
  // stdout, which FAKE_BREV_ERROR_STREAM=stdout reproduces.
  // INVALID_ARGUMENT is a ValidationError (yellow), anything else red.
  void PrintError(const absl::Status& error) const;

 private:
  bool stdout_piped_;
  bool stdout_tty_;
  bool errors_to_stdout_;
};

// A brev ValidationError (yellow, not reported).
absl::Status ValidationError(absl::string_view message);
// Any other error (red).
absl::Status BrevError(absl::string_view message);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_BREV_OUTPUT_H_
