// Image references in the form Pyxis/enroot expects.
#ifndef TAO_PLATFORMS_SLURM_ENROOT_IMAGE_H_
#define TAO_PLATFORMS_SLURM_ENROOT_IMAGE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tao::platforms::slurm {

// enroot separates the registry from the image path with '#'
// ("nvcr.io#nvidia/tao/tao-toolkit:7.0.0-cosmos-rl"). Squashfs files
// ("/x.sqsh"), references already in that form ("registry#image:tag",
// "docker://registry#image:tag") and Docker Hub names without a registry
// ("ubuntu:22.04", "library/ubuntu") are returned unchanged; a plain
// "registry/image:tag" (first component with a '.' or ':', or "localhost")
// gets its first '/' replaced by '#'.
std::string EnrootImage(absl::string_view image);

}  // namespace tao::platforms::slurm

#endif  // TAO_PLATFORMS_SLURM_ENROOT_IMAGE_H_
