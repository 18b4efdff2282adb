#include "platforms/lepton/deployment_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace tao::platforms::lepton {
namespace {

constexpr char kPrefix[] = "tao-";
constexpr size_t kUuidHexDigits = 32;
constexpr size_t kNameHexDigits = 28;

bool IsLowerAlnum(char c) {
  return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'z');
}

}  // namespace

bool IsDeploymentName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxDeploymentName) return false;
  if (!(name.front() >= 'a' && name.front() <= 'z')) return false;
  if (!IsLowerAlnum(name.back())) return false;
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

absl::StatusOr<std::string> DeploymentName(absl::string_view job_id) {
  std::string hex;
  for (char c : job_id) {
    if (c == '-') continue;
    if (!absl::ascii_isxdigit(c)) {
      hex.clear();
      break;
    }
    hex.push_back(absl::ascii_tolower(c));
  }
  if (hex.size() != kUuidHexDigits) {
    return absl::InvalidArgumentError(absl::StrCat(
        "job id \"", job_id,
        "\" is not a UUID (32 hex digits), so it makes no Lepton deployment "
        "name"));
  }
  return absl::StrCat(kPrefix, hex.substr(0, kNameHexDigits));
}

}  // namespace tao::platforms::lepton
