#include "platforms/local_docker/image_reference.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace tao::platforms::local_docker {
namespace {

struct ReferenceCase {
  const char* image;
  const char* registry;
  const char* repository;
  const char* tag;
};

TEST(DockerParseImageReferenceTest, SplitsRegistryRepositoryAndTag) {
  const ReferenceCase cases[] = {
      {"nvcr.io/nvidia/tao/tao-toolkit:7.0.0-cosmos-rl", "nvcr.io",
       "nvcr.io/nvidia/tao/tao-toolkit", "7.0.0-cosmos-rl"},
      {"tao-reference-backend:test", "docker.io", "tao-reference-backend",
       "test"},
      {"ubuntu", "docker.io", "ubuntu", "latest"},
      {"library/ubuntu:22.04", "docker.io", "library/ubuntu", "22.04"},
      {"localhost:5000/team/img", "localhost:5000", "localhost:5000/team/img",
       "latest"},
      {"localhost/img:v1", "localhost", "localhost/img", "v1"},
      {"registry.example:443/a/b:c", "registry.example:443",
       "registry.example:443/a/b", "c"},
      {"nvcr.io/nvidia/x@sha256:abcd", "nvcr.io", "nvcr.io/nvidia/x",
       "sha256:abcd"},
  };
  for (const ReferenceCase& c : cases) {
    SCOPED_TRACE(c.image);
    ImageReference ref = ParseImageReference(c.image);
    EXPECT_EQ(ref.registry, c.registry);
    EXPECT_EQ(ref.repository, c.repository);
    EXPECT_EQ(ref.tag, c.tag);
  }
}

TEST(DockerRegistryAuthHeaderTest, IsPaddedUrlSafeBase64OfTheCredentials) {
  // Characters that standard base64 of the JSON would turn into + and /.
  const std::string header =
      RegistryAuthHeader(kNgcUser, "k?>~~~>?", kNgcRegistry);
  EXPECT_EQ(header.size() % 4, 0u);
  EXPECT_EQ(header.find_first_of("+/"), std::string::npos);
  std::string decoded;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(header, &decoded));
  nlohmann::json auth = nlohmann::json::parse(decoded);
  EXPECT_EQ(auth["username"], "$oauthtoken");
  EXPECT_EQ(auth["password"], "k?>~~~>?");
  EXPECT_EQ(auth["serveraddress"], "nvcr.io");
}

}  // namespace
}  // namespace tao::platforms::local_docker
