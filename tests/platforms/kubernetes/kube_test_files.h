// Temp files and an injected environment for the credential tests.
#ifndef TAO_TESTS_PLATFORMS_KUBERNETES_KUBE_TEST_FILES_H_
#define TAO_TESTS_PLATFORMS_KUBERNETES_KUBE_TEST_FILES_H_

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "platforms/kubernetes/kube_io.h"
#include "tests/support/temp_dir.h"

namespace tao::platforms::kubernetes::testing {

// Writes `text` to `path`, creating its folders.
inline std::string WriteFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  EXPECT_TRUE(out) << "cannot write " << path;
  return path;
}

// A getenv over a map, so that no test depends on the real HOME.
inline std::function<std::optional<std::string>(absl::string_view)> MapEnv(
    const std::map<std::string, std::string>* env) {
  return [env](absl::string_view name) -> std::optional<std::string> {
    auto it = env->find(std::string(name));
    if (it == env->end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace tao::platforms::kubernetes::testing

#endif  // TAO_TESTS_PLATFORMS_KUBERNETES_KUBE_TEST_FILES_H_
