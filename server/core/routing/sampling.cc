#include "server/core/routing/sampling.h"

#include <cmath>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "server/core/common/errors.h"
#include "server/core/routing/json_text.h"

namespace tao::routing {
namespace {

namespace v1 = ::tao::inference::v1;
namespace pb = ::google::protobuf;

// Every SamplingParams field, in body order, with the architecture it is
// meant for (as the field's comment in the proto says) for error hints.
struct KnownField {
  absl::string_view name;
  absl::string_view meant_for;  // empty: every architecture
};
constexpr KnownField kKnownFields[] = {
    {"max_tokens", ""},
    {"temperature", "cosmos-rl"},
    {"top_p", "cosmos-rl"},
    {"guidance", "cosmos-predict2.5"},
    {"num_steps", "cosmos-predict2.5"},
    {"seed", "cosmos-predict2.5"},
    {"negative_prompt", "cosmos-predict2.5"},
};

const pb::FieldDescriptor* Descriptor(absl::string_view name) {
  return v1::SamplingParams::descriptor()->FindFieldByName(std::string(name));
}

std::string FieldPath(absl::string_view name) {
  return absl::StrCat("sampling.", name);
}

// Limits print as integers when they are ("[0, 2]", not "[0.0, 2.0]").
std::string FormatNumber(double value) {
  if (std::trunc(value) == value && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return JsonDouble(value);
}

std::string ValueText(const v1::SamplingParams& params,
                      const pb::FieldDescriptor* field) {
  const pb::Reflection* reflection = params.GetReflection();
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(reflection->GetInt32(params, field));
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(reflection->GetInt64(params, field));
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      return JsonDouble(reflection->GetDouble(params, field));
    default:
      return "";
  }
}

absl::Status CheckAccepted(const KnownField& known,
                           const catalog::ArchRules& rules) {
  const catalog::SamplingField* spec = rules.Field(known.name);
  if (spec != nullptr && spec->supported) return absl::OkStatus();
  std::string description =
      absl::StrCat(rules.network_arch, " does not accept ", known.name);
  if (!known.meant_for.empty() && known.meant_for != rules.network_arch) {
    absl::StrAppend(&description, "; it applies to ", known.meant_for, " only");
  } else {
    absl::StrAppend(&description, "; leave it unset");
  }
  return core::InvalidField(FieldPath(known.name), description);
}

absl::Status CheckRange(const v1::SamplingParams& params,
                        const pb::FieldDescriptor* field,
                        const catalog::SamplingField& spec,
                        const catalog::ArchRules& rules) {
  const pb::Reflection* reflection = params.GetReflection();
  double value;
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      value = reflection->GetInt32(params, field);
      break;
    case pb::FieldDescriptor::CPPTYPE_INT64:
      value = static_cast<double>(reflection->GetInt64(params, field));
      break;
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      value = reflection->GetDouble(params, field);
      if (!std::isfinite(value)) {
        return core::InvalidField(FieldPath(field->name()),
                                  "must be a finite number");
      }
      break;
    default:
      return absl::OkStatus();  // strings have no range
  }
  const bool below =
      spec.min.has_value() &&
      (value < *spec.min || (spec.min_exclusive && value == *spec.min));
  const bool above = spec.max.has_value() && value > *spec.max;
  if (!below && !above) return absl::OkStatus();
  std::string accepted;
  if (spec.min.has_value() && spec.max.has_value()) {
    accepted =
        absl::StrCat(spec.min_exclusive ? "(" : "[", FormatNumber(*spec.min),
                     ", ", FormatNumber(*spec.max), "]");
  } else if (spec.min.has_value()) {
    accepted = absl::StrCat(spec.min_exclusive ? "above " : "at least ",
                            FormatNumber(*spec.min));
  } else {
    accepted = absl::StrCat("at most ", FormatNumber(*spec.max));
  }
  return core::InvalidField(
      FieldPath(field->name()),
      absl::StrCat(ValueText(params, field), " is out of range for ",
                   rules.network_arch, "; accepted: ", accepted));
}

absl::Status SetDefault(const pb::FieldDescriptor* field,
                        const std::string& text,
                        const catalog::ArchRules& rules,
                        v1::SamplingParams* params) {
  const pb::Reflection* reflection = params->GetReflection();
  bool parsed = true;
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32: {
      int32_t value = 0;
      parsed = absl::SimpleAtoi(text, &value);
      if (parsed) reflection->SetInt32(params, field, value);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_INT64: {
      int64_t value = 0;
      parsed = absl::SimpleAtoi(text, &value);
      if (parsed) reflection->SetInt64(params, field, value);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: {
      double value = 0;
      parsed = absl::SimpleAtod(text, &value) && std::isfinite(value);
      if (parsed) reflection->SetDouble(params, field, value);
      break;
    }
    case pb::FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(params, field, text);
      break;
    default:
      parsed = false;
  }
  if (parsed) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      "the catalog's default for ", field->name(), " of ", rules.network_arch,
      " (\"", text, "\") is not a valid ", field->type_name(),
      "; fix the architecture's request rules in config/"));
}

}  // namespace

absl::StatusOr<v1::SamplingParams> ResolveSampling(
    const v1::SamplingParams& requested, const catalog::ArchRules& rules) {
  // Every set field is checked below, so the request itself is the start.
  v1::SamplingParams applied = requested;
  applied.DiscardUnknownFields();
  const pb::Reflection* reflection = applied.GetReflection();
  for (const KnownField& known : kKnownFields) {
    const pb::FieldDescriptor* field = Descriptor(known.name);
    if (reflection->HasField(applied, field)) {
      if (absl::Status status = CheckAccepted(known, rules); !status.ok()) {
        return status;
      }
      if (absl::Status status =
              CheckRange(applied, field, *rules.Field(known.name), rules);
          !status.ok()) {
        return status;
      }
      continue;
    }
    const catalog::SamplingField* spec = rules.Field(known.name);
    if (spec == nullptr || !spec->supported || !spec->default_value) continue;
    if (absl::Status status =
            SetDefault(field, *spec->default_value, rules, &applied);
        !status.ok()) {
      return status;
    }
  }
  return applied;
}

void AppendSamplingJson(const v1::SamplingParams& params, std::string* out) {
  const pb::Reflection* reflection = params.GetReflection();
  for (const KnownField& known : kKnownFields) {
    const pb::FieldDescriptor* field = Descriptor(known.name);
    if (!reflection->HasField(params, field)) continue;
    absl::StrAppend(out, ",\"", known.name, "\":");
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING) {
      AppendJsonString(reflection->GetString(params, field), out);
    } else {
      out->append(ValueText(params, field));
    }
  }
}

}  // namespace tao::routing
