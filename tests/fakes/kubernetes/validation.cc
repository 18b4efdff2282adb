#include "tests/fakes/kubernetes/validation.h"

#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

bool FullMatch(const std::string& value, const char* pattern) {
  return std::regex_match(value, std::regex(pattern));
}

std::string MaxLenError(int max) {
  return absl::StrCat("must be no more than ", max, " characters");
}

}  // namespace

std::vector<std::string> IsDns1123Subdomain(const std::string& value) {
  std::vector<std::string> errors;
  if (value.size() > 253) errors.push_back(MaxLenError(253));
  if (!FullMatch(
          value,
          "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
    errors.push_back(
        "a lowercase RFC 1123 subdomain must consist of lower case "
        "alphanumeric characters, '-' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'example.com', regex used for "
        "validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  return errors;
}

std::vector<std::string> IsDns1123Label(const std::string& value) {
  std::vector<std::string> errors;
  if (value.size() > 63) errors.push_back(MaxLenError(63));
  if (!FullMatch(value, "[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
    errors.push_back(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric "
        "characters or '-', and must start and end with an alphanumeric "
        "character (e.g. 'my-name',  or '123-abc', regex used for validation "
        "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  }
  return errors;
}

std::vector<std::string> IsDns1035Label(const std::string& value) {
  std::vector<std::string> errors;
  if (value.size() > 63) errors.push_back(MaxLenError(63));
  if (!FullMatch(value, "[a-z]([-a-z0-9]*[a-z0-9])?")) {
    errors.push_back(
        "a DNS-1035 label must consist of lower case alphanumeric characters "
        "or '-', start with an alphabetic character, and end with an "
        "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used "
        "for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }
  return errors;
}

std::vector<std::string> IsValidLabelValue(const std::string& value) {
  std::vector<std::string> errors;
  if (value.size() > 63) errors.push_back(MaxLenError(63));
  if (!FullMatch(value, "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")) {
    errors.push_back(
        "a valid label must be an empty string or consist of alphanumeric "
        "characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
        "'12345', regex used for validation is "
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  }
  return errors;
}

std::vector<std::string> IsQualifiedName(const std::string& value) {
  std::vector<std::string> errors;
  std::vector<std::string> parts = absl::StrSplit(value, '/');
  std::string name;
  if (parts.size() == 1) {
    name = parts[0];
  } else if (parts.size() == 2) {
    if (parts[0].empty()) {
      errors.push_back("prefix part must be non-empty");
    } else {
      for (const std::string& e : IsDns1123Subdomain(parts[0])) {
        errors.push_back(absl::StrCat("prefix part ", e));
      }
    }
    name = parts[1];
  } else {
    errors.push_back(
        "a qualified name must consist of alphanumeric characters, '-', '_' "
        "or '.', and must start and end with an alphanumeric character (e.g. "
        "'MyName',  or 'my.name',  or '123-abc', regex used for validation "
        "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
        "subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errors;
  }
  if (name.empty()) {
    errors.push_back("name part must be non-empty");
  } else {
    if (name.size() > 63) errors.push_back("name part " + MaxLenError(63));
    if (!FullMatch(name, "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")) {
      errors.push_back(
          "name part must consist of alphanumeric characters, '-', '_' or "
          "'.', and must start and end with an alphanumeric character (e.g. "
          "'MyName',  or 'my.name',  or '123-abc', regex used for validation "
          "is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }
  }
  return errors;
}

void ValidateLabels(const json& labels, const std::string& field,
                    std::vector<FieldError>* errors) {
  if (!labels.is_object()) return;
  for (const auto& [key, value] : labels.items()) {
    for (const std::string& e : IsQualifiedName(key)) {
      errors->push_back(Invalid(field, key, e));
    }
    std::string text = value.is_string() ? value.get<std::string>() : "";
    for (const std::string& e : IsValidLabelValue(text)) {
      errors->push_back(Invalid(absl::StrCat(field), text, e));
    }
  }
}

void ValidateObjectName(const json& metadata, bool dns1035,
                        std::vector<FieldError>* errors) {
  std::string name = metadata.value("name", "");
  std::string generate = metadata.value("generateName", "");
  if (name.empty()) {
    if (generate.empty()) {
      errors->push_back(
          Required("metadata.name", "name or generateName is required"));
    }
    return;
  }
  std::vector<std::string> messages =
      dns1035 ? IsDns1035Label(name) : IsDns1123Subdomain(name);
  for (const std::string& e : messages) {
    errors->push_back(Invalid("metadata.name", name, e));
  }
}

}  // namespace tao::fakes::kubernetes
