// Command lines as cobra/pflag read them for brev: --name value,
// --name=value, -n value, -nvalue, bundled short booleans (-dv), `--` ends
// the flags, flags and arguments may be interleaved. Refusals carry pflag's
// words: "unknown flag: --gpu", "unknown shorthand flag: 'x' in -x",
// "flag needs an argument: --type", "invalid argument ...". Every command
// also takes cobra's -h/--help and brev's persistent --user and --version.
#ifndef TAO_TESTS_FAKES_BREV_BREV_FLAGS_H_
#define TAO_TESTS_FAKES_BREV_BREV_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace tao::fakes::brev {

enum class FlagType { kBool, kString, kInt };

struct FlagSpec {
  std::string name;    // "type" for --type
  char shorthand = 0;  // 't' for -t; 0 for none
  FlagType type = FlagType::kString;
  std::string default_value;
  std::string usage;  // the --help line
};

class ParsedFlags {
 public:
  // The flag's value, or its default when it was not given.
  std::string Get(const std::string& name) const;
  bool Bool(const std::string& name) const { return Get(name) == "true"; }
  int Int(const std::string& name) const;
  bool IsSet(const std::string& name) const { return set_.count(name) > 0; }
  // Positional arguments, in order.
  const std::vector<std::string>& args() const { return args_; }
  bool help() const { return Bool("help"); }

 private:
  friend absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>&,
                                                const std::vector<FlagSpec>&);
  std::vector<FlagSpec> specs_;
  std::map<std::string, std::string> set_;
  std::vector<std::string> args_;
};

// Parses `args` (after the command name) against `specs` plus the global
// flags. Errors are INVALID_ARGUMENT with pflag's message.
absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const std::vector<FlagSpec>& specs);

// Cobra-style help: "Usage:\n  brev USE\n\nFlags:\n  -t, --type string ..."
std::string HelpText(const std::string& use, const std::string& about,
                     const std::vector<FlagSpec>& specs);

}  // namespace tao::fakes::brev

#endif  // TAO_TESTS_FAKES_BREV_BREV_FLAGS_H_
