// A temporary config folder for one test: starts as a copy of the real
// config/ (found through TAO_SOURCE_DIR) so each test changes only the file
// it is about. Removed afterwards.
#ifndef TAO_TESTS_SERVER_CORE_CATALOG_CONFIG_DIR_H_
#define TAO_TESTS_SERVER_CORE_CATALOG_CONFIG_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/core/catalog/catalog.h"
#include "tests/support/temp_dir.h"

namespace tao::catalog::testing {

// The repository's config/ folder.
inline std::string RealConfigDir() {
  const char* source = getenv("TAO_SOURCE_DIR");
  std::filesystem::path root =
      source != nullptr ? std::filesystem::path(source)
                        // Run by hand: this file is tests/server/core/catalog/.
                        : std::filesystem::path(__FILE__)
                              .parent_path()
                              .parent_path()
                              .parent_path()
                              .parent_path()
                              .parent_path();
  return (root / "config").string();
}

class ConfigDir {
 public:
  ConfigDir() {
    for (const auto& item :
         std::filesystem::directory_iterator(RealConfigDir())) {
      std::filesystem::copy_file(
          item.path(), std::filesystem::path(path()) / item.path().filename());
    }
  }

  const std::string& path() const { return dir_.path(); }
  std::string File(const std::string& name) const { return dir_.File(name); }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream out(File(name), std::ios::binary | std::ios::trunc);
    out << text;
    ASSERT_TRUE(out.good()) << "cannot write " << File(name);
  }
  void Remove(const std::string& name) const {
    ASSERT_TRUE(std::filesystem::remove(File(name))) << File(name);
  }

 private:
  tests::TempDir dir_{"tao-catalog-test"};
};

// Catalog options reading `env` instead of the process environment.
inline Catalog::Options OptionsFor(
    const std::string& dir, std::map<std::string, std::string> env = {}) {
  Catalog::Options options;
  options.config_dir = dir;
  options.getenv = [env](absl::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  return options;
}

}  // namespace tao::catalog::testing

#endif  // TAO_TESTS_SERVER_CORE_CATALOG_CONFIG_DIR_H_
