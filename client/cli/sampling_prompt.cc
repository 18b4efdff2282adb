#include "client/cli/sampling_prompt.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tao::cli {
namespace {

using tao::inference::v1::SamplingFieldDescription;
using tao::inference::v1::SamplingParams;

void PrintOverview(absl::string_view network_arch, const SamplingFields& fields,
                   const SamplingParams& given, std::ostream& out) {
  // Three aligned columns: name, default (or the flag's value), description.
  std::vector<std::string> values;
  size_t name_width = 0;
  size_t value_width = 0;
  for (const SamplingFieldDescription& field : fields) {
    if (HasSamplingField(given, field.name())) {
      values.push_back(
          absl::StrCat("= ", SamplingFieldText(given, field.name()), " (from ",
                       FlagForField(field.name()), ")"));
    } else if (!field.has_default_value()) {
      values.push_back("default: not sent");
    } else {
      values.push_back(absl::StrCat("default ", field.default_value()));
    }
    name_width = std::max(name_width, field.name().size());
    value_width = std::max(value_width, values.back().size());
  }
  out << "Sampling fields for " << network_arch
      << " (Enter keeps the default):\n";
  for (size_t i = 0; i < fields.size(); ++i) {
    out << "  " << fields[i].name()
        << std::string(name_width - fields[i].name().size() + 2, ' ')
        << values[i] << std::string(value_width - values[i].size() + 2, ' ')
        << fields[i].description() << "\n";
  }
}

}  // namespace

SamplingFields MissingFields(const SamplingFields& fields,
                             const SamplingParams& given) {
  SamplingFields missing;
  for (const SamplingFieldDescription& field : fields) {
    if (!HasSamplingField(given, field.name())) missing.push_back(field);
  }
  return missing;
}

absl::StatusOr<SamplingOutcome> ResolveSampling(
    absl::string_view network_arch, const SamplingFields& fields,
    const SamplingParams& given, const SamplingPromptOptions& options,
    std::istream& in, std::ostream& prompt_out) {
  SamplingOutcome outcome;
  outcome.params = given;
  const SamplingFields missing = MissingFields(fields, given);
  if (missing.empty() || options.accept_defaults) return outcome;
  if (!options.is_tty) {
    outcome.refused = true;
    outcome.missing = missing;
    return outcome;
  }
  PrintOverview(network_arch, fields, given, prompt_out);
  for (const SamplingFieldDescription& field : missing) {
    const std::string default_text = DefaultText(field);
    while (true) {
      prompt_out << field.name() << " ["
                 << (default_text.empty() ? "not sent" : default_text)
                 << "]: " << std::flush;
      std::string line;
      if (!std::getline(in, line)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "input ended before ", field.name(),
            " was answered; pass the sampling fields as flags or use "
            "--accept-defaults"));
      }
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (absl::StripAsciiWhitespace(line).empty()) break;  // keep default
      absl::Status set = SetSamplingField(&outcome.params, field.name(), line);
      std::string problem = set.ok() ? ValueProblem(outcome.params, field)
                                     : std::string(set.message());
      if (problem.empty()) break;
      // Leave the field as it was and ask again.
      outcome.params.GetReflection()->ClearField(
          &outcome.params,
          SamplingParams::descriptor()->FindFieldByName(field.name()));
      prompt_out << "  " << problem << "; try again (Enter keeps "
                 << (default_text.empty() ? "it unset" : default_text) << ")\n";
    }
  }
  return outcome;
}

}  // namespace tao::cli
