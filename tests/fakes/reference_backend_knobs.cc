#include "tests/fakes/reference_backend_knobs.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tao::fakes {
namespace {

constexpr absl::string_view kInitMs = "init-ms-";
constexpr absl::string_view kLoadMs = "load-ms-";
constexpr absl::string_view kExitDuringLoad = "exit-during-load-";

// The number after `prefix` in `token`.
absl::StatusOr<int> NumberAfter(absl::string_view token,
                                absl::string_view prefix) {
  absl::string_view digits = token.substr(prefix.size());
  int value = 0;
  if (!absl::SimpleAtoi(digits, &value) || value < 0) {
    return absl::InvalidArgumentError(absl::StrCat("model path knob ", prefix,
                                                   "N needs a number N >= 0, "
                                                   "got '",
                                                   token, "'"));
  }
  return value;
}

}  // namespace

absl::StatusOr<Knobs> ParseKnobs(absl::string_view model_path) {
  Knobs knobs;
  std::vector<absl::string_view> tokens = absl::StrSplit(model_path, '+');
  for (size_t i = 1; i < tokens.size(); ++i) {
    absl::string_view token = tokens[i];
    if (token == "fail-init") {
      knobs.fail_init = true;
    } else if (token == "fail-load") {
      knobs.fail_load = true;
    } else if (token == "shape-status") {
      knobs.status_shape = true;
    } else if (token == "print-env") {
      knobs.print_env = true;
    } else if (absl::StartsWith(token, kInitMs)) {
      absl::StatusOr<int> ms = NumberAfter(token, kInitMs);
      if (!ms.ok()) return ms.status();
      knobs.init_time = absl::Milliseconds(*ms);
    } else if (absl::StartsWith(token, kLoadMs)) {
      absl::StatusOr<int> ms = NumberAfter(token, kLoadMs);
      if (!ms.ok()) return ms.status();
      knobs.load_time = absl::Milliseconds(*ms);
    } else if (absl::StartsWith(token, kExitDuringLoad)) {
      absl::StatusOr<int> code = NumberAfter(token, kExitDuringLoad);
      if (!code.ok()) return code.status();
      knobs.exit_during_load = *code;
    }
  }
  return knobs;
}

}  // namespace tao::fakes
