#include "client/cli/sampling_fields.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace tao::cli {
namespace {

using google::protobuf::FieldDescriptor;
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

}  // namespace

const std::vector<SamplingField>* SamplingFieldsFor(
    absl::string_view network_arch) {
  // Mirrors config/architectures.yaml (server) and spec §8.1/§8.2.
  static const auto* const kCosmosRl = new std::vector<SamplingField>{
      {"max_tokens", "1024", "new tokens to generate", 1, std::nullopt},
      {"temperature", "0.7", "sampling temperature", 0, 2},
      {"top_p", "0.8", "nucleus sampling mass", 0, 1},
  };
  static const auto* const kCosmosPredict = new std::vector<SamplingField>{
      {"max_tokens", "77", "number of output frames", 1, std::nullopt},
      {"guidance", "7", "classifier-free guidance", 0, 7},
      {"num_steps", "35", "diffusion steps", 1, std::nullopt},
      {"seed", "0", "random seed", std::nullopt, std::nullopt},
      {"negative_prompt", "", "what the video should not show", std::nullopt,
       std::nullopt},
  };
  if (network_arch == "cosmos-rl") return kCosmosRl;
  if (network_arch == "cosmos-predict2.5") return kCosmosPredict;
  return nullptr;
}

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

std::string DescribeFields(const std::vector<SamplingField>& fields) {
  size_t width = 0;
  std::vector<std::string> usages;
  for (const SamplingField& field : fields) {
    const FieldDescriptor* descriptor = FindField(field.name);
    usages.push_back(absl::StrCat(
        FlagForField(field.name), " ",
        descriptor ? ValuePlaceholder(*descriptor) : std::string("VALUE")));
    width = std::max(width, usages.back().size());
  }
  std::string text;
  for (size_t i = 0; i < fields.size(); ++i) {
    const SamplingField& field = fields[i];
    std::string facts = field.default_text.empty()
                            ? std::string("default: not sent")
                            : absl::StrCat("default ", field.default_text);
    if (field.min && field.max) {
      absl::StrAppend(&facts, ", range [", FormatDouble(*field.min), ", ",
                      FormatDouble(*field.max), "]");
    }
    absl::StrAppend(&text, "  ", usages[i],
                    std::string(width - usages[i].size() + 2, ' '), "(", facts,
                    "; ", field.description, ")\n");
  }
  return text;
}

absl::Status CheckFieldsApply(const SamplingParams& params,
                              absl::string_view network_arch,
                              const std::vector<SamplingField>& fields) {
  for (const std::string& name : SetSamplingFieldNames(params)) {
    bool applies = false;
    for (const SamplingField& field : fields) applies |= field.name == name;
    if (applies) continue;
    std::vector<std::string> flags;
    for (const SamplingField& field : fields) {
      flags.push_back(FlagForField(field.name));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(FlagForField(name), " does not apply to ", network_arch,
                     " (it takes ", absl::StrJoin(flags, ", "), ")"));
  }
  return absl::OkStatus();
}

}  // namespace tao::cli
