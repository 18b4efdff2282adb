// Catalog::ResolveImage (spec §4): <arch>.config.json api_params.image ->
// IMAGE_<KEY> override -> images.yaml mapping -> versions.yaml manifest.
#include <string>

#include "absl/strings/str_cat.h"
#include "server/core/catalog/catalog.h"
#include "server/core/catalog/catalog_data.h"
#include "server/core/common/errors.h"

namespace tao::catalog {

absl::StatusOr<std::string> Catalog::ResolveImage(
    absl::string_view network_arch) const {
  absl::StatusOr<const ArchRules*> rules = Rules(network_arch);
  if (!rules.ok()) return rules.status();
  const ArchData& arch = data_->archs.at(std::string(network_arch));
  // An image reference in the config file needs no lookup.
  if (IsImageReference(arch.image)) return arch.image;

  const std::string& key = arch.image;
  const std::string env_name = absl::StrCat("IMAGE_", key);
  // Empty counts as unset, like most shells' ${VAR:-default}.
  if (std::optional<std::string> value = data_->getenv(env_name);
      value.has_value() && !value->empty()) {
    return *value;
  }
  const std::string fix =
      absl::StrCat("; set ", env_name,
                   " in tao-inferd's environment to an image "
                   "reference, or pass StartRequest.image");
  auto mapped = data_->image_mapping.find(key);
  if (mapped == data_->image_mapping.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot resolve the image of ", network_arch, ": image key ", key,
        " (api_params.image in ", arch.config_file,
        ") has no entry under "
        "mapping in ",
        data_->images_file, fix));
  }
  if (IsImageReference(mapped->second)) return mapped->second;
  auto image = data_->manifest_images.find(mapped->second);
  if (image == data_->manifest_images.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot resolve the image of ", network_arch, ": image key ", key,
        " maps to ", mapped->second, " (", data_->images_file,
        "), which is not under images in ", data_->versions_file, fix));
  }
  return image->second;
}

}  // namespace tao::catalog
