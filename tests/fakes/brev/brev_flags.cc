#include "tests/fakes/brev/brev_flags.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tao::fakes::brev {
namespace {

std::vector<FlagSpec> GlobalFlags() {
  return {{"help", 'h', FlagType::kBool, "false", "help for this command"},
          {"user", 0, FlagType::kString, "",
           "non root user to use for per user configuration of commands run "
           "as root"},
          {"version", 0, FlagType::kBool, "false", "Print version output"}};
}

const FlagSpec* FindLong(const std::vector<FlagSpec>& specs,
                         const std::string& name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const FlagSpec* FindShort(const std::vector<FlagSpec>& specs, char c) {
  for (const FlagSpec& spec : specs) {
    if (spec.shorthand != 0 && spec.shorthand == c) return &spec;
  }
  return nullptr;
}

// pflag names a flag "-c, --count" when it has a shorthand.
std::string FlagTitle(const FlagSpec& spec) {
  return spec.shorthand != 0 ? absl::StrCat("-", std::string(1, spec.shorthand),
                                            ", --", spec.name)
                             : absl::StrCat("--", spec.name);
}

// Checks a value the way pflag's typed Set does.
absl::Status CheckValue(const FlagSpec& spec, const std::string& value) {
  if (spec.type == FlagType::kInt) {
    int64_t ignored;
    if (!absl::SimpleAtoi(value, &ignored)) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid argument \"", value, "\" for \"",
                       FlagTitle(spec), "\" flag: strconv.ParseInt: parsing \"",
                       value, "\": invalid syntax"));
    }
  }
  if (spec.type == FlagType::kBool && value != "true" && value != "false" &&
      value != "1" && value != "0" && value != "t" && value != "f" &&
      value != "TRUE" && value != "FALSE" && value != "True" &&
      value != "False" && value != "T" && value != "F") {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid argument \"", value, "\" for \"", FlagTitle(spec),
        "\" flag: strconv.ParseBool: parsing \"", value, "\": invalid syntax"));
  }
  return absl::OkStatus();
}

std::string NormalBool(const FlagSpec& spec, const std::string& value) {
  if (spec.type != FlagType::kBool) return value;
  return (value == "true" || value == "1" || value == "t" || value == "T" ||
          value == "TRUE" || value == "True")
             ? "true"
             : "false";
}

}  // namespace

std::string ParsedFlags::Get(const std::string& name) const {
  auto it = set_.find(name);
  if (it != set_.end()) return it->second;
  const FlagSpec* spec = FindLong(specs_, name);
  return spec == nullptr ? "" : spec->default_value;
}

int ParsedFlags::Int(const std::string& name) const {
  int value = 0;
  return absl::SimpleAtoi(Get(name), &value) ? value : 0;
}

absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const std::vector<FlagSpec>& specs) {
  ParsedFlags parsed;
  parsed.specs_ = specs;
  for (FlagSpec& global : GlobalFlags()) parsed.specs_.push_back(global);
  const std::vector<FlagSpec>& all = parsed.specs_;
  auto set = [&](const FlagSpec& spec, const std::string& value) {
    absl::Status checked = CheckValue(spec, value);
    if (checked.ok()) parsed.set_[spec.name] = NormalBool(spec, value);
    return checked;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      parsed.args_.insert(parsed.args_.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      parsed.args_.push_back(arg);
      continue;
    }
    if (arg[1] == '-') {
      const size_t eq = arg.find('=');
      const std::string name = arg.substr(2, eq - 2);
      const FlagSpec* spec = FindLong(all, name);
      if (spec == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown flag: --", name));
      }
      if (eq != std::string::npos) {
        if (absl::Status s = set(*spec, arg.substr(eq + 1)); !s.ok()) return s;
      } else if (spec->type == FlagType::kBool) {
        parsed.set_[spec->name] = "true";
      } else if (i + 1 < args.size()) {
        if (absl::Status s = set(*spec, args[++i]); !s.ok()) return s;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("flag needs an argument: --", name));
      }
      continue;
    }
    // Short flags: -d, -dv (bundled booleans), -tVALUE, -t=VALUE, -t VALUE.
    const std::string bundle = arg.substr(1);
    for (size_t j = 0; j < bundle.size(); ++j) {
      const FlagSpec* spec = FindShort(all, bundle[j]);
      if (spec == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown shorthand flag: '", std::string(1, bundle[j]),
                         "' in -", bundle));
      }
      std::string rest = bundle.substr(j + 1);
      if (!rest.empty() && rest[0] == '=') rest = rest.substr(1);
      if (spec->type == FlagType::kBool) {
        if (j + 1 < bundle.size() && bundle[j + 1] == '=') {
          if (absl::Status s = set(*spec, rest); !s.ok()) return s;
          break;
        }
        parsed.set_[spec->name] = "true";
        continue;
      }
      if (!rest.empty()) {
        if (absl::Status s = set(*spec, rest); !s.ok()) return s;
      } else if (i + 1 < args.size()) {
        if (absl::Status s = set(*spec, args[++i]); !s.ok()) return s;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("flag needs an argument: '", std::string(1, bundle[j]),
                         "' in -", bundle));
      }
      break;
    }
  }
  return parsed;
}

std::string HelpText(const std::string& use, const std::string& about,
                     const std::vector<FlagSpec>& specs) {
  auto lines = [](const std::vector<FlagSpec>& flags) {
    std::vector<std::pair<std::string, std::string>> rows;
    size_t width = 0;
    for (const FlagSpec& spec : flags) {
      std::string left =
          spec.shorthand != 0
              ? absl::StrCat("  -", std::string(1, spec.shorthand), ", --",
                             spec.name)
              : absl::StrCat("      --", spec.name);
      if (spec.type == FlagType::kString) absl::StrAppend(&left, " string");
      if (spec.type == FlagType::kInt) absl::StrAppend(&left, " int");
      std::string right = spec.usage;
      if (spec.type != FlagType::kBool && !spec.default_value.empty()) {
        absl::StrAppend(&right, " (default ",
                        spec.type == FlagType::kString
                            ? absl::StrCat("\"", spec.default_value, "\"")
                            : spec.default_value,
                        ")");
      }
      width = std::max(width, left.size());
      rows.emplace_back(std::move(left), std::move(right));
    }
    std::string text;
    for (const auto& [left, right] : rows) {
      absl::StrAppend(&text, left, std::string(width - left.size() + 3, ' '),
                      right, "\n");
    }
    return text;
  };
  const std::vector<FlagSpec> globals = GlobalFlags();
  std::vector<FlagSpec> local = specs;
  local.push_back(globals[0]);  // -h, --help is the command's own
  const std::vector<FlagSpec> inherited(globals.begin() + 1, globals.end());
  return absl::StrCat(about, "\n\nUsage:\n  brev ", use, "\n\nFlags:\n",
                      lines(local), "\nGlobal Flags:\n", lines(inherited));
}

}  // namespace tao::fakes::brev
