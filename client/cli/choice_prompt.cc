#include "client/cli/choice_prompt.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "client/cli/human_output.h"

namespace tao::cli {

std::optional<bool> AskYesNo(const std::string& question, std::istream& in,
                             std::ostream& out) {
  out << question << " [y/N] " << std::flush;
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const std::string answer =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(line));
  return answer == "y" || answer == "yes";
}

std::optional<int> AskWhichService(const google::protobuf::RepeatedPtrField<
                                       tao::inference::v1::Service>& candidates,
                                   std::istream& in, std::ostream& out) {
  out << "Several services match:\n" << FormatCandidates(candidates, "  ");
  const int count = candidates.size();
  while (true) {
    out << "Which one? [1-" << count << "]: " << std::flush;
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    int number = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &number) &&
        number >= 1 && number <= count) {
      return number - 1;
    }
    out << "  type a number from 1 to " << count << "\n";
  }
}

}  // namespace tao::cli
