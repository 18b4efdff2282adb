#include "platforms/kubernetes/object_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tao::platforms::kubernetes {
namespace {

constexpr size_t kMaxLabel = 63;

bool IsLowerAlnum(char c) {
  return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'z');
}

}  // namespace

bool IsDns1035Label(absl::string_view name) {
  if (name.empty() || name.size() > kMaxLabel) return false;
  if (!(name.front() >= 'a' && name.front() <= 'z')) return false;
  if (!IsLowerAlnum(name.back())) return false;
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

absl::StatusOr<std::string> ObjectName(absl::string_view job_id) {
  std::string name = absl::StrCat("tao-", job_id);
  if (!IsDns1035Label(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "job id ", job_id,
        " does not make a Kubernetes name (tao-<id> must be a DNS-1035 label "
        "of at most 63 lower-case letters, digits and '-')"));
  }
  return name;
}

std::string LabelValue(absl::string_view text) {
  std::string value;
  for (char c : text) {
    const bool ok = absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.';
    value.push_back(ok ? c : '-');
    if (value.size() == kMaxLabel) break;
  }
  // Must start and end with an alphanumeric character.
  size_t first = 0;
  while (first < value.size() && !absl::ascii_isalnum(value[first])) ++first;
  size_t last = value.size();
  while (last > first && !absl::ascii_isalnum(value[last - 1])) --last;
  return value.substr(first, last - first);
}

}  // namespace tao::platforms::kubernetes
