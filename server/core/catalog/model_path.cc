// Catalog::ValidateModelPath: model_path is hf_model://<org>/<name> or an
// absolute container path (spec §1, service.yaml model_path_protocols); the
// container has no cloud-storage access, so cloud URIs are refused here
// rather than after a slow image pull.
#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/core/catalog/catalog.h"
#include "server/core/catalog/catalog_data.h"
#include "server/core/common/errors.h"

namespace tao::catalog {
namespace {

constexpr absl::string_view kHfScheme = "hf_model://";
constexpr absl::string_view kAccepted =
    "use hf_model://<org>/<name> (e.g. hf_model://nvidia/Cosmos-Reason1-7B) "
    "or an absolute path inside the container (e.g. /models/checkpoint)";
constexpr absl::string_view kExampleKeys = "base-2b, base-14b, auto-multiview";

bool HasControlCharacter(absl::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

// Hugging Face repo ids: <org>/<name>, each [A-Za-z0-9._-]+.
bool IsRepoId(absl::string_view repo_id) {
  std::vector<absl::string_view> parts = absl::StrSplit(repo_id, '/');
  if (parts.size() != 2) return false;
  return std::all_of(parts.begin(), parts.end(), [](absl::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
      return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
    });
  });
}

// Why `model_path` (neither hf_model:// nor absolute) is refused.
std::string RefusalReason(absl::string_view model_path) {
  const size_t separator = model_path.find("://");
  if (separator == absl::string_view::npos) {
    return "a relative path is ambiguous inside the container";
  }
  const std::string scheme =
      absl::AsciiStrToLower(model_path.substr(0, separator));
  for (absl::string_view cloud : {"s3", "gs", "az", "cs", "aws"}) {
    if (scheme == cloud) {
      return absl::StrCat(scheme,
                          ":// is cloud storage, which the inference "
                          "container cannot read");
    }
  }
  if (scheme == "http" || scheme == "https") {
    return absl::StrCat(scheme,
                        ":// URLs are not model sources the "
                        "container can load");
  }
  if (scheme == "hf") return "hf:// is not recognized; write hf_model://";
  return absl::StrCat(scheme, ":// is not a scheme the container knows");
}

}  // namespace

absl::Status Catalog::ValidateModelPath(absl::string_view network_arch,
                                        absl::string_view model_path,
                                        absl::string_view model_key) const {
  absl::StatusOr<const ArchRules*> rules = Rules(network_arch);
  if (!rules.ok()) return rules.status();
  const ArchData& arch = data_->archs.at(std::string(network_arch));

  if (model_path.empty()) {
    return core::InvalidField("model_path",
                              absl::StrCat("required; ", kAccepted));
  }
  if (HasControlCharacter(model_path)) {
    return core::InvalidField("model_path",
                              "must not contain control characters");
  }
  const bool is_hf = absl::StartsWith(model_path, kHfScheme);
  if (is_hf && !IsRepoId(model_path.substr(kHfScheme.size()))) {
    return core::InvalidField(
        "model_path",
        "hf_model:// needs a repo id <org>/<name> of letters, digits, '.', "
        "'_' and '-', e.g. hf_model://nvidia/Cosmos-Reason1-7B");
  }
  if (!is_hf && !absl::StartsWith(model_path, "/")) {
    return core::InvalidField(
        "model_path",
        absl::StrCat("Unsupported model_path scheme for ", network_arch, ": ",
                     RefusalReason(model_path), "; ", kAccepted));
  }

  if (arch.style == CommandStyle::kCosmosRlJob) {
    if (!model_key.empty()) {
      return core::InvalidField(
          "model_key",
          absl::StrCat("is only for cosmos-predict2.5 with an hf_model:// "
                       "model_path; ",
                       network_arch,
                       " loads model_path itself: leave it "
                       "empty"));
    }
    return absl::OkStatus();
  }
  // cosmos-predict2.5 loads Hugging Face models by registered key only.
  if (!is_hf) {
    if (!model_key.empty()) {
      return core::InvalidField(
          "model_key",
          "is not used with an absolute model_path (the checkpoint there is "
          "loaded); leave it empty, or give an hf_model:// model_path");
    }
    return absl::OkStatus();
  }
  if (model_key.empty()) {
    return core::InvalidField(
        "model_key",
        absl::StrCat("required for ", network_arch,
                     " with an hf_model:// model_path: the registered model "
                     "key the container knows (not derived from the repo "
                     "id), e.g. ",
                     kExampleKeys));
  }
  if (HasControlCharacter(model_key) ||
      std::any_of(model_key.begin(), model_key.end(),
                  [](char c) { return c == ' '; }) ||
      absl::StartsWith(model_key, "-")) {
    return core::InvalidField(
        "model_key",
        absl::StrCat("must be a registered key without spaces or control "
                     "characters, not starting with '-', e.g. ",
                     kExampleKeys));
  }
  return absl::OkStatus();
}

}  // namespace tao::catalog
