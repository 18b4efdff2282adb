#include "client/cli/sampling_prompt.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tao::cli {
namespace {

using tao::inference::v1::SamplingParams;

// Empty when the field's value is inside its range, else what is wrong.
std::string RangeProblem(const SamplingParams& params,
                         const SamplingField& field) {
  if (!field.min && !field.max) return "";
  double value = 0;
  if (!absl::SimpleAtod(SamplingFieldText(params, field.name), &value)) {
    return "";  // text fields have no range
  }
  if ((field.min && value < *field.min) || (field.max && value > *field.max)) {
    std::string low = field.min ? absl::StrCat(*field.min) : "-inf";
    std::string high = field.max ? absl::StrCat(*field.max) : "inf";
    return absl::StrCat(field.name, " must be in [", low, ", ", high, "]");
  }
  return "";
}

void PrintOverview(absl::string_view network_arch,
                   const std::vector<SamplingField>& fields,
                   const SamplingParams& given, std::ostream& out) {
  // Three aligned columns: name, default (or the flag's value), description.
  std::vector<std::string> values;
  size_t name_width = 0;
  size_t value_width = 0;
  for (const SamplingField& field : fields) {
    if (HasSamplingField(given, field.name)) {
      values.push_back(absl::StrCat("= ", SamplingFieldText(given, field.name),
                                    " (from ", FlagForField(field.name), ")"));
    } else if (field.default_text.empty()) {
      values.push_back("default: not sent");
    } else {
      values.push_back(absl::StrCat("default ", field.default_text));
    }
    name_width = std::max(name_width, field.name.size());
    value_width = std::max(value_width, values.back().size());
  }
  out << "Sampling fields for " << network_arch
      << " (Enter keeps the default):\n";
  for (size_t i = 0; i < fields.size(); ++i) {
    out << "  " << fields[i].name
        << std::string(name_width - fields[i].name.size() + 2, ' ') << values[i]
        << std::string(value_width - values[i].size() + 2, ' ')
        << fields[i].description << "\n";
  }
}

}  // namespace

std::vector<SamplingField> MissingFields(
    const std::vector<SamplingField>& fields, const SamplingParams& given) {
  std::vector<SamplingField> missing;
  for (const SamplingField& field : fields) {
    if (!HasSamplingField(given, field.name)) missing.push_back(field);
  }
  return missing;
}

absl::StatusOr<SamplingOutcome> ResolveSampling(
    absl::string_view network_arch, const std::vector<SamplingField>& fields,
    const SamplingParams& given, const SamplingPromptOptions& options,
    std::istream& in, std::ostream& prompt_out) {
  SamplingOutcome outcome;
  outcome.params = given;
  const std::vector<SamplingField> missing = MissingFields(fields, given);
  if (missing.empty() || options.accept_defaults) return outcome;
  if (!options.is_tty) {
    outcome.refused = true;
    outcome.missing = missing;
    return outcome;
  }
  PrintOverview(network_arch, fields, given, prompt_out);
  for (const SamplingField& field : missing) {
    while (true) {
      prompt_out << field.name << " ["
                 << (field.default_text.empty() ? "not sent"
                                                : field.default_text)
                 << "]: " << std::flush;
      std::string line;
      if (!std::getline(in, line)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "input ended before ", field.name,
            " was answered; pass the sampling fields as flags or use "
            "--accept-defaults"));
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (absl::StripAsciiWhitespace(line).empty()) break;  // keep default
      absl::Status set = SetSamplingField(&outcome.params, field.name, line);
      std::string problem = set.ok() ? RangeProblem(outcome.params, field)
                                     : std::string(set.message());
      if (problem.empty()) break;
      // Leave the field as it was and ask again.
      outcome.params.GetReflection()->ClearField(
          &outcome.params,
          SamplingParams::descriptor()->FindFieldByName(field.name));
      prompt_out << "  " << problem << "; try again (Enter keeps "
                 << (field.default_text.empty() ? "it unset"
                                                : field.default_text)
                 << ")\n";
    }
  }
  return outcome;
}

}  // namespace tao::cli
