#include "platforms/slurm/enroot_image.h"

#include "gtest/gtest.h"

namespace tao::platforms::slurm {
namespace {

struct ImageCase {
  const char* image;
  const char* enroot;
};

// Spec §6.4: "/x.sqsh", "registry#image:tag", "docker://registry#image:tag"
// pass; a plain "registry/image:tag" is converted.
TEST(EnrootImageTest, ConvertsOnlyPlainRegistryReferences) {
  const ImageCase cases[] = {
      {"nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl",
       "nvcr.io#nvidia/tao/tao-toolkit:7.0.0-cosmos-rl"},
      {"registry.local:5000/team/img:1", "registry.local:5000#team/img:1"},
      {"localhost/img:1", "localhost#img:1"},
      {"nvcr.io#nvidia/tao/x:1", "nvcr.io#nvidia/tao/x:1"},
      {"docker://nvcr.io#nvidia/tao/x:1", "docker://nvcr.io#nvidia/tao/x:1"},
      {"/lustre/images/tao.sqsh", "/lustre/images/tao.sqsh"},
      {"ubuntu:22.04", "ubuntu:22.04"},
      {"library/ubuntu", "library/ubuntu"},
  };
  for (const ImageCase& c : cases) {
    EXPECT_EQ(EnrootImage(c.image), c.enroot) << c.image;
  }
}

}  // namespace
}  // namespace tao::platforms::slurm
