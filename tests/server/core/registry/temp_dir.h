// File helpers for the registry tests, and their temporary directory.
#ifndef TAO_TESTS_SERVER_CORE_REGISTRY_TEMP_DIR_H_
#define TAO_TESTS_SERVER_CORE_REGISTRY_TEMP_DIR_H_

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace tao::registry::testing {

// One fresh directory per test (tests/support/temp_dir.h).
using TempDir = ::tao::tests::TempDir;

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// Names in `dir` that look like a registry writer's temp file.
inline std::vector<std::string> TempFilesIn(const std::string& dir) {
  std::vector<std::string> found;
  for (const auto& item : std::filesystem::directory_iterator(dir)) {
    std::string name = item.path().filename().string();
    if (name.find(".tmp.") != std::string::npos) found.push_back(name);
  }
  return found;
}

}  // namespace tao::registry::testing

#endif  // TAO_TESTS_SERVER_CORE_REGISTRY_TEMP_DIR_H_
