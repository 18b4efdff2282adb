#include "client/cli/sampling_fields.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace tao::cli {
namespace {

using google::protobuf::FieldDescriptor;
using tao::inference::v1::Bound;
using tao::inference::v1::SamplingFieldDescription;
using tao::inference::v1::SamplingParams;

const FieldDescriptor* FindField(absl::string_view name) {
  return SamplingParams::descriptor()->FindFieldByName(std::string(name));
}

std::string ValuePlaceholder(const FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return "X";
    case FieldDescriptor::CPPTYPE_STRING:
      return "TEXT";
    default:
      return "N";
  }
}

// Six significant digits without trailing zeros ("0.7", "2").
std::string FormatDouble(double value) { return absl::StrCat(value); }

bool Below(double value, const Bound& min) {
  return value < min.value() || (min.exclusive() && value == min.value());
}

bool Above(double value, const Bound& max) {
  return value > max.value() || (max.exclusive() && value == max.value());
}

}  // namespace

std::string FlagForField(absl::string_view field_name) {
  return absl::StrCat("--", absl::StrReplaceAll(field_name, {{"_", "-"}}));
}

std::vector<std::string> AllSamplingFieldNames() {
  std::vector<std::string> names;
  const auto* descriptor = SamplingParams::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    names.push_back(descriptor->field(i)->name());
  }
  return names;
}

std::vector<std::string> AllSamplingFlags() {
  std::vector<std::string> flags;
  for (const std::string& name : AllSamplingFieldNames()) {
    flags.push_back(absl::StrCat(FlagForField(name), " ",
                                 ValuePlaceholder(*FindField(name))));
  }
  return flags;
}

absl::Status SetSamplingField(SamplingParams* params,
                              absl::string_view field_name,
                              absl::string_view text) {
  const FieldDescriptor* field = FindField(field_name);
  if (field == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown sampling field ", field_name));
  }
  const auto* reflection = params->GetReflection();
  const std::string flag = FlagForField(field_name);
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t value = 0;
      if (!absl::SimpleAtoi(trimmed, &value)) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, ": '", text, "' is not a whole number"));
      }
      reflection->SetInt32(params, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t value = 0;
      if (!absl::SimpleAtoi(trimmed, &value)) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, ": '", text, "' is not a whole number"));
      }
      reflection->SetInt64(params, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      double value = 0;
      if (!absl::SimpleAtod(trimmed, &value) || !std::isfinite(value)) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, ": '", text, "' is not a number"));
      }
      reflection->SetDouble(params, field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_STRING:
      // Text is kept as typed: leading spaces may matter in a prompt.
      reflection->SetString(params, field, std::string(text));
      return absl::OkStatus();
    default:
      return absl::InternalError(absl::StrCat("sampling field ", field_name,
                                              " has a type the CLI "
                                              "does not handle"));
  }
}

bool HasSamplingField(const SamplingParams& params,
                      absl::string_view field_name) {
  const FieldDescriptor* field = FindField(field_name);
  return field != nullptr && params.GetReflection()->HasField(params, field);
}

std::string SamplingFieldText(const SamplingParams& params,
                              absl::string_view field_name) {
  const FieldDescriptor* field = FindField(field_name);
  if (field == nullptr || !params.GetReflection()->HasField(params, field)) {
    return "";
  }
  const auto* reflection = params.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(reflection->GetInt32(params, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(reflection->GetInt64(params, field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return FormatDouble(reflection->GetDouble(params, field));
    case FieldDescriptor::CPPTYPE_STRING:
      return reflection->GetString(params, field);
    default:
      return "";
  }
}

std::vector<std::string> SetSamplingFieldNames(const SamplingParams& params) {
  std::vector<std::string> names;
  for (const std::string& name : AllSamplingFieldNames()) {
    if (HasSamplingField(params, name)) names.push_back(name);
  }
  return names;
}

std::string DefaultText(const SamplingFieldDescription& field) {
  return field.has_default_value() ? field.default_value() : "";
}

std::string AcceptedValues(const SamplingFieldDescription& field) {
  if (field.allowed_values_size() > 0) {
    return absl::StrCat("one of ", absl::StrJoin(field.allowed_values(), ", "));
  }
  if (field.has_min() && field.has_max()) {
    return absl::StrCat("in ", field.min().exclusive() ? "(" : "[",
                        FormatDouble(field.min().value()), ", ",
                        FormatDouble(field.max().value()),
                        field.max().exclusive() ? ")" : "]");
  }
  if (field.has_min()) {
    return absl::StrCat(field.min().exclusive() ? "above " : "at least ",
                        FormatDouble(field.min().value()));
  }
  if (field.has_max()) {
    return absl::StrCat(field.max().exclusive() ? "below " : "at most ",
                        FormatDouble(field.max().value()));
  }
  return "";
}

std::string ValueProblem(const SamplingParams& params,
                         const SamplingFieldDescription& field) {
  if (!HasSamplingField(params, field.name())) return "";
  const std::string text = SamplingFieldText(params, field.name());
  bool accepted = true;
  if (field.allowed_values_size() > 0) {
    accepted = absl::c_linear_search(field.allowed_values(), text);
  } else if (double value = 0; absl::SimpleAtod(text, &value)) {
    accepted = !(field.has_min() && Below(value, field.min())) &&
               !(field.has_max() && Above(value, field.max()));
  }
  if (accepted) return "";
  return absl::StrCat(field.name(), " must be ", AcceptedValues(field));
}

std::string DescribeFields(const SamplingFields& fields) {
  size_t width = 0;
  std::vector<std::string> usages;
  for (const SamplingFieldDescription& field : fields) {
    const FieldDescriptor* descriptor = FindField(field.name());
    usages.push_back(absl::StrCat(
        FlagForField(field.name()), " ",
        descriptor ? ValuePlaceholder(*descriptor) : std::string("VALUE")));
    width = std::max(width, usages.back().size());
  }
  std::string text;
  for (size_t i = 0; i < fields.size(); ++i) {
    const SamplingFieldDescription& field = fields[i];
    std::string facts = field.has_default_value()
                            ? absl::StrCat("default ", field.default_value())
                            : std::string("default: not sent");
    if (std::string accepted = AcceptedValues(field); !accepted.empty()) {
      absl::StrAppend(&facts, ", ", accepted);
    }
    absl::StrAppend(&text, "  ", usages[i],
                    std::string(width - usages[i].size() + 2, ' '), "(", facts,
                    "; ", field.description(), ")\n");
  }
  return text;
}

absl::Status CheckFieldsApply(const SamplingParams& params,
                              absl::string_view network_arch,
                              const SamplingFields& fields) {
  for (const std::string& name : SetSamplingFieldNames(params)) {
    bool applies = false;
    for (const SamplingFieldDescription& field : fields) {
      applies |= field.name() == name;
    }
    if (applies) continue;
    std::vector<std::string> flags;
    for (const SamplingFieldDescription& field : fields) {
      flags.push_back(FlagForField(field.name()));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(FlagForField(name), " does not apply to ", network_arch,
                     " (it takes ", absl::StrJoin(flags, ", "), ")"));
  }
  return absl::OkStatus();
}

}  // namespace tao::cli
