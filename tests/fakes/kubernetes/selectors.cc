#include "tests/fakes/kubernetes/selectors.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tao::fakes::kubernetes {
namespace {

using nlohmann::json;

// Splits at commas outside parentheses.
std::vector<std::string> SplitTerms(const std::string& text) {
  std::vector<std::string> terms;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      terms.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty() || !terms.empty()) terms.push_back(current);
  return terms;
}

std::string Trim(absl::string_view s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

std::string FieldValue(const json& object, const std::string& field) {
  const json* node = &object;
  for (absl::string_view part : absl::StrSplit(field, '.')) {
    if (!node->is_object()) return "";
    auto it = node->find(std::string(part));
    if (it == node->end()) return "";
    node = &*it;
  }
  return node->is_string() ? node->get<std::string>() : "";
}

}  // namespace

absl::StatusOr<LabelSelector> LabelSelector::Parse(const std::string& text) {
  LabelSelector selector;
  for (const std::string& raw : SplitTerms(text)) {
    std::string term = Trim(raw);
    if (term.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unable to parse requirement: found '', expected: "
                       "identifier in \"",
                       text, "\""));
    }
    Requirement r;
    size_t pos;
    if (term[0] == '!') {
      r = {Trim(term.substr(1)), "!", {}};
    } else if ((pos = term.find(" notin ")) != std::string::npos ||
               (pos = term.find(" in ")) != std::string::npos) {
      bool notin = term.compare(pos, 7, " notin ") == 0;
      r.key = Trim(term.substr(0, pos));
      r.op = notin ? "notin" : "in";
      std::string list = Trim(term.substr(pos + (notin ? 7 : 4)));
      if (list.size() < 2 || list.front() != '(' || list.back() != ')') {
        return absl::InvalidArgumentError(
            absl::StrCat("unable to parse requirement: expected '(' and ')' "
                         "around the values of \"",
                         term, "\""));
      }
      for (absl::string_view v :
           absl::StrSplit(list.substr(1, list.size() - 2), ',')) {
        r.values.push_back(Trim(v));
      }
    } else if ((pos = term.find("!=")) != std::string::npos) {
      r = {Trim(term.substr(0, pos)), "!=", {Trim(term.substr(pos + 2))}};
    } else if ((pos = term.find("==")) != std::string::npos) {
      r = {Trim(term.substr(0, pos)), "=", {Trim(term.substr(pos + 2))}};
    } else if ((pos = term.find('=')) != std::string::npos) {
      r = {Trim(term.substr(0, pos)), "=", {Trim(term.substr(pos + 1))}};
    } else {
      r = {term, "exists", {}};
    }
    selector.requirements_.push_back(std::move(r));
  }
  return selector;
}

bool LabelSelector::Matches(const json& labels) const {
  for (const Requirement& r : requirements_) {
    bool has = labels.is_object() && labels.contains(r.key) &&
               labels[r.key].is_string();
    std::string value = has ? labels[r.key].get<std::string>() : "";
    bool in_values = has && std::find(r.values.begin(), r.values.end(),
                                      value) != r.values.end();
    if (r.op == "exists" && !has) return false;
    if (r.op == "!" && has) return false;
    if ((r.op == "=" || r.op == "in") && !in_values) return false;
    if ((r.op == "!=" || r.op == "notin") && in_values) return false;
  }
  return true;
}

absl::StatusOr<FieldSelector> FieldSelector::Parse(const std::string& text) {
  FieldSelector selector;
  for (const std::string& raw : SplitTerms(text)) {
    std::string term = Trim(raw);
    if (term.empty()) continue;
    Requirement r;
    size_t pos;
    if ((pos = term.find("!=")) != std::string::npos) {
      r = {Trim(term.substr(0, pos)), false, Trim(term.substr(pos + 2))};
    } else if ((pos = term.find("==")) != std::string::npos) {
      r = {Trim(term.substr(0, pos)), true, Trim(term.substr(pos + 2))};
    } else if ((pos = term.find('=')) != std::string::npos) {
      r = {Trim(term.substr(0, pos)), true, Trim(term.substr(pos + 1))};
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid selector: '", text, "'; can't understand '", term, "'"));
    }
    if (r.field != "metadata.name" && r.field != "metadata.namespace" &&
        r.field != "status.phase") {
      // The apiserver's text for a field its field set lacks.
      return absl::InvalidArgumentError(
          absl::StrCat("field label not supported: ", r.field));
    }
    selector.requirements_.push_back(std::move(r));
  }
  return selector;
}

bool FieldSelector::Matches(const json& object) const {
  for (const Requirement& r : requirements_) {
    bool equal = FieldValue(object, r.field) == r.value;
    if (equal != r.equal) return false;
  }
  return true;
}

}  // namespace tao::fakes::kubernetes
